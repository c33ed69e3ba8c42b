import type { CategoryNode, ProductListing } from '@bazaar/contracts/shop-api';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useCart } from '../cart';
import {
  type Listing,
  listingApiQuery,
  listingParams,
  readListing,
  withChange,
} from '../lib/listing-query';
import { Loading, Price, Problem, useApi, usePageTitle } from '../ui';

const pageSize = 24;

export function Catalog() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const listing = readListing(params);
  const { region } = useCart();
  const page = useApi<ProductListing>(
    `/api/products?${listingApiQuery(listing, pageSize)}${region ? `&region=${region}` : ''}`,
  );
  const categories = useApi<{ items: CategoryNode[] }>('/api/categories');
  const [query, setQuery] = useState(listing.q);

  const show = (next: Listing, options: { replace?: boolean } = {}) =>
    setParams(listingParams(next), options);

  // Search as you type: the URL follows the box a moment after the last key, without a history
  // entry per key.
  useEffect(() => {
    if (query === listing.q) return;
    const timer = setTimeout(() => show(withChange(listing, { q: query }), { replace: true }), 250);
    return () => clearTimeout(timer);
  });
  useEffect(() => setQuery(listing.q), [listing.q]);

  const counts = new Map(page.data?.facets.categories.map((facet) => [facet.slug, facet.count]));
  const heading = listing.q
    ? `Search: “${listing.q}”`
    : (categoryName(categories.data?.items ?? [], listing.category) ?? 'All products');
  usePageTitle(heading);

  return (
    <div className="catalog">
      <aside className="filters" aria-label="Filters">
        <div className="field">
          <label htmlFor="search">Search</label>
          <input
            id="search"
            type="search"
            placeholder="lamp, mug, boots…"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="category">Category</label>
          <select
            id="category"
            value={listing.category}
            onChange={(event) => show(withChange(listing, { category: event.target.value }))}
          >
            <option value="">All departments</option>
            {categories.data?.items.map((department) => (
              <optgroup key={department.slug} label={department.name}>
                <option value={department.slug}>
                  All {department.name} ({counts.get(department.slug) ?? 0})
                </option>
                {department.children.map((aisle) => (
                  <option key={aisle.slug} value={aisle.slug}>
                    {aisle.name} ({counts.get(aisle.slug) ?? 0})
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <fieldset className="price-range">
          <legend>Price</legend>
          <label htmlFor="min-price">From</label>
          <input
            id="min-price"
            inputMode="decimal"
            value={listing.minPrice}
            onChange={(event) =>
              show(withChange(listing, { minPrice: event.target.value }), { replace: true })
            }
          />
          <label htmlFor="max-price">to</label>
          <input
            id="max-price"
            inputMode="decimal"
            value={listing.maxPrice}
            onChange={(event) =>
              show(withChange(listing, { maxPrice: event.target.value }), { replace: true })
            }
          />
        </fieldset>
        <label className="check">
          <input
            type="checkbox"
            checked={listing.inStock}
            onChange={(event) => show(withChange(listing, { inStock: event.target.checked }))}
          />
          In stock only
        </label>
        <div className="field">
          <label htmlFor="sort">Sort by</label>
          <select
            id="sort"
            value={listing.sort}
            onChange={(event) =>
              show(withChange(listing, { sort: event.target.value as Listing['sort'] }))
            }
          >
            <option value="">{listing.q ? 'Best match' : 'Newest'}</option>
            <option value="newest">Newest</option>
            <option value="price_asc">Price: low to high</option>
            <option value="price_desc">Price: high to low</option>
          </select>
        </div>
      </aside>

      <section className="results" aria-label="Products">
        <h1>{heading}</h1>
        {page.error ? <Problem error={page.error} /> : null}
        {page.loading && !page.data ? <Loading what="Finding products" /> : null}
        {page.data && (
          <>
            <p className="count" aria-live="polite">
              {page.data.total} {page.data.total === 1 ? 'product' : 'products'}
              {listing.q ? ` for “${listing.q}”` : ''}
            </p>
            {page.data.items.length === 0 && <p>Nothing matches; try fewer filters.</p>}
            <ul className="grid">
              {page.data.items.map((product) => (
                <li key={product.id} className="card">
                  <Link to={`/products/${product.slug}`}>
                    {product.images[0] && <img src={product.images[0]} alt="" loading="lazy" />}
                    <span className="name">{product.name}</span>
                  </Link>
                  <span className="meta">{product.category.name}</span>
                  <span>
                    {product.variantCount > 1 ? 'from ' : ''}
                    <Price money={product.price} />
                  </span>
                  {!product.inStock && <span className="badge">Sold out</span>}
                </li>
              ))}
            </ul>
            <nav className="pager" aria-label="Pages">
              {listing.cursor && (
                <button type="button" onClick={() => navigate(-1)}>
                  ← Previous
                </button>
              )}
              {page.data.nextCursor && (
                <Link to={`/?${listingParams({ ...listing, cursor: page.data.nextCursor })}`}>
                  Next →
                </Link>
              )}
            </nav>
          </>
        )}
      </section>
    </div>
  );
}

/** The name of the category of `slug`, a department or one of its aisles. */
function categoryName(tree: readonly CategoryNode[], slug: string): string | undefined {
  for (const node of tree) {
    if (node.slug === slug) return node.name;
    const below = categoryName(node.children, slug);
    if (below) return below;
  }
  return undefined;
}
