import type { CategoryNode, ProductListing } from '@bazaar/contracts/shop-api';
import { Fragment, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useCart } from '../cart';
import { useCategories } from '../categories';
import {
  type Listing,
  listingApiQuery,
  listingParams,
  maxPage,
  pageNumbers,
  readListing,
  withChange,
} from '../lib/listing-query';
import { Loading, Price, Problem, useApi, useMediaQuery, usePageTitle } from '../ui';

const pageSize = 24;

export function Catalog() {
  const [params, setParams] = useSearchParams();
  const listing = readListing(params);
  const { region } = useCart();
  const page = useApi<ProductListing>(
    `/api/products?${listingApiQuery(listing, pageSize)}${region ? `&region=${region}` : ''}`,
  );
  const narrow = useMediaQuery('(max-width: 47.99rem)');
  const sheet = useRef<HTMLDialogElement>(null);

  const show = (next: Listing, options: { replace?: boolean } = {}) =>
    setParams(listingParams(next), options);

  const tree = useCategories();
  const heading = listing.q
    ? `Search: “${listing.q}”`
    : (categoryName(tree, listing.category) ?? 'All products');
  usePageTitle(heading);
  const filters = (
    <Filters listing={listing} show={show} tree={tree} facets={page.data?.facets.categories} />
  );
  const filtered =
    [listing.category, listing.minPrice, listing.maxPrice].filter(Boolean).length +
    (listing.inStock ? 1 : 0);
  const lastPage = page.data ? Math.min(maxPage, Math.ceil(page.data.total / pageSize)) : 1;

  return (
    <div className="catalog">
      {!narrow && (
        <aside className="filters" aria-label="Filters">
          {filters}
        </aside>
      )}
      <section className="results" aria-label="Products">
        <h1>{heading}</h1>
        {narrow && (
          <>
            <button type="button" className="secondary" onClick={() => sheet.current?.showModal()}>
              Filter and sort{filtered > 0 ? ` (${filtered})` : ''}
            </button>
            <dialog ref={sheet} className="sheet" aria-labelledby="sheet-heading">
              <h2 id="sheet-heading">Filter and sort</h2>
              {filters}
              <button type="button" onClick={() => sheet.current?.close()}>
                Show {page.data?.total ?? ''} products
              </button>
            </dialog>
          </>
        )}
        {page.error ? <Problem error={page.error} /> : null}
        {page.loading && !page.data ? <Loading what="Finding products" /> : null}
        {page.data && (
          <>
            <p className="count" aria-live="polite">
              {page.data.correctedQuery
                ? `Nothing matches “${listing.q}”. ${page.data.total} ${page.data.total === 1 ? 'product' : 'products'} for “${page.data.correctedQuery}”:`
                : `${page.data.total} ${page.data.total === 1 ? 'product' : 'products'}${listing.q ? ` for “${listing.q}”` : ''}`}
            </p>
            {page.data.total === 0 && (
              <NothingFound listing={listing} show={show} departments={tree} />
            )}
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
            {lastPage > 1 && <Pager listing={listing} last={lastPage} />}
          </>
        )}
      </section>
    </div>
  );
}

/** The filters and the sort, beside the products on wide screens and in a sheet on phones. */
function Filters({
  listing,
  show,
  tree,
  facets,
}: {
  listing: Listing;
  show: (next: Listing, options?: { replace?: boolean }) => void;
  tree: readonly CategoryNode[];
  facets: ProductListing['facets']['categories'] | undefined;
}) {
  const counts = new Map(facets?.map((facet) => [facet.slug, facet.count]));
  return (
    <>
      <div className="field">
        <label htmlFor="category">Category</label>
        <select
          id="category"
          value={listing.category}
          onChange={(event) => show(withChange(listing, { category: event.target.value }))}
        >
          <option value="">All departments</option>
          {tree.map((department) => (
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
        {(
          [
            ['minPrice', 'min-price', 'From'],
            ['maxPrice', 'max-price', 'to'],
          ] as const
        ).map(([bound, id, label]) => (
          <Fragment key={bound}>
            <label htmlFor={id}>{label}</label>
            <input
              id={id}
              inputMode="decimal"
              value={listing[bound]}
              onChange={(event) =>
                show(withChange(listing, { [bound]: event.target.value }), { replace: true })
              }
            />
          </Fragment>
        ))}
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
    </>
  );
}

/** When nothing matches: what to try next, and the departments to browse instead. */
function NothingFound({
  listing,
  show,
  departments,
}: {
  listing: Listing;
  show: (next: Listing) => void;
  departments: readonly CategoryNode[];
}) {
  const narrowed = listing.category || listing.minPrice || listing.maxPrice || listing.inStock;
  return (
    <div className="nothing-found">
      <p>
        {listing.q
          ? 'Check the spelling, or try fewer or more general words (“lamp” rather than “brass lamp with shade”).'
          : 'No product is in this selection.'}
      </p>
      {narrowed && (
        <button
          type="button"
          className="secondary"
          onClick={() =>
            show({ ...listing, category: '', minPrice: '', maxPrice: '', inStock: false, page: 1 })
          }
        >
          Clear the filters
        </button>
      )}
      <h2>Browse the shop</h2>
      <ul className="departments">
        {departments.map((department) => (
          <li key={department.slug}>
            <Link to={`/?category=${department.slug}`}>{department.name}</Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Numbered pages: Previous, 1 … 4 5 6 … 10, Next; each a link, so it can be opened or shared. */
function Pager({ listing, last }: { listing: Listing; last: number }) {
  const to = (page: number) => `/?${listingParams({ ...listing, page })}`;
  // A new page starts at its top, with focus on its heading, as a new page would.
  const toTop = () => {
    window.scrollTo(0, 0);
    document.querySelector<HTMLElement>('main h1')?.focus();
  };
  return (
    <nav className="pager" aria-label="Pages">
      {listing.page > 1 && (
        <Link to={to(listing.page - 1)} onClick={toTop} rel="prev">
          ← Previous
        </Link>
      )}
      <ol>
        {pageNumbers(listing.page, last).map((page, index) =>
          page === 'gap' ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: a gap is only ever where it stands
            <li key={`gap-${index}`} aria-hidden="true">
              …
            </li>
          ) : (
            <li key={page}>
              {page === listing.page ? (
                <span aria-current="page">
                  <span className="visually-hidden">Page </span>
                  {page}
                </span>
              ) : (
                <Link to={to(page)} onClick={toTop}>
                  <span className="visually-hidden">Page </span>
                  {page}
                </Link>
              )}
            </li>
          ),
        )}
      </ol>
      {listing.page < last && (
        <Link to={to(listing.page + 1)} onClick={toTop} rel="next">
          Next →
        </Link>
      )}
    </nav>
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
