import type { Queryable } from '@bazaar/db/pool';
import { decodeCursor, keyShapes, type Page, toPage } from '@bazaar/service-kit/keyset-cursor';
import { selectCategories } from '../store/category-store.js';
import { selectCategoryCounts, selectProductPage } from '../store/product-listing-store.js';
import { selectNearestWords } from '../store/search-word-store.js';
import { type CategoryFacet, categoryFacets } from './category-facets.js';
import { CatalogError } from './errors.js';
import {
  type ListingFilters,
  type ProductSort,
  type ProductSummary,
  searchWords,
  toSearchQuery,
} from './product.js';
import { regionOf } from './regions.js';
import type { ShopRegions } from './shop-regions.js';

export type ListingQuery = {
  /** Prices in this region's currency; the shop's first region when none is named. */
  region?: string | undefined;
  q?: string | undefined;
  category?: string | undefined;
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
  inStock?: boolean | undefined;
  status?: ListingFilters['status'];
  sort?: ProductSort | undefined;
  limit: number;
  cursor?: string | undefined;
  /** Page by number, counted from 1: for a shopper's numbered pages; `cursor` walks a whole list. */
  page?: number | undefined;
};

export type ProductListing = Page<ProductSummary> & {
  /** Products matching every filter. */
  total: number;
  facets: { categories: CategoryFacet[] };
  /** The search text the page is for, when the shopper's found nothing. */
  correctedQuery?: string;
};

const keyShapeOf: Record<ProductSort, RegExp> = {
  newest: keyShapes.timestamp,
  price_asc: keyShapes.integer,
  price_desc: keyShapes.integer,
  relevance: keyShapes.decimal,
};

/**
 * A page of active products with the category facets of the same search. Sorted by relevance when
 * there is search text, else newest first, unless the shopper chose a sort. A search that finds
 * nothing is asked again with its words spelled as the shop's product names spell them
 * (`correctedQuery`), when every word is near one of them.
 */
export async function listProducts(
  db: Queryable,
  regions: ShopRegions,
  query: ListingQuery,
): Promise<ProductListing> {
  const region = regionOf(await regions.all(), query.region);
  const filters: ListingFilters = {
    currency: region.currency,
    searchQuery: query.q === undefined ? undefined : toSearchQuery(query.q),
    category: query.category,
    minPrice: query.minPrice,
    maxPrice: query.maxPrice,
    inStock: query.inStock,
    status: query.status,
  };
  assertPriceRange(filters);
  if (query.cursor !== undefined && query.page !== undefined) {
    throw new CatalogError('invalid_page', 'Ask for a page by its number or by a cursor', {
      errors: [{ field: 'page', in: 'querystring', message: 'cannot be given with cursor' }],
    });
  }
  const listing = await listMatching(db, filters, query);
  const words = searchWords(query.q ?? '');
  if (listing.total > 0 || words.length === 0) return listing;
  const nearest = await selectNearestWords(db, words);
  const corrected = nearest.every((word) => word !== undefined) ? nearest.join(' ') : undefined;
  if (corrected === undefined || corrected === words.join(' ')) return listing;
  const again = await listMatching(
    db,
    { ...filters, searchQuery: toSearchQuery(corrected) },
    query,
  );
  return again.total > 0 ? { ...again, correctedQuery: corrected } : listing;
}

async function listMatching(
  db: Queryable,
  filters: ListingFilters,
  query: ListingQuery,
): Promise<ProductListing> {
  const requested = query.sort ?? (filters.searchQuery ? 'relevance' : 'newest');
  const sort = requested === 'relevance' && !filters.searchQuery ? 'newest' : requested;
  const after =
    query.cursor === undefined
      ? undefined
      : decodeCursor(query.cursor, { keyShape: keyShapeOf[sort], sort });
  const skip = ((query.page ?? 1) - 1) * query.limit;

  const [categories, counts, rows] = await Promise.all([
    selectCategories(db),
    selectCategoryCounts(db, filters),
    selectProductPage(db, { filters, sort, after, skip, limit: query.limit + 1 }),
  ]);
  const facets = categoryFacets(categories, counts);
  if (
    filters.category !== undefined &&
    !categories.some((category) => category.slug === filters.category)
  ) {
    throw new CatalogError('unknown_category', `There is no category ${filters.category}`, {
      errors: [{ field: 'category', in: 'querystring', message: 'is not a category of this shop' }],
    });
  }
  const total =
    filters.category === undefined
      ? [...counts.values()].reduce((sum, count) => sum + count, 0)
      : (facets.find((facet) => facet.slug === filters.category)?.count ?? 0);
  return { ...toPage(rows, query.limit, sort), total, facets: { categories: facets } };
}

function assertPriceRange(filters: ListingFilters): void {
  if (filters.minPrice === undefined || filters.maxPrice === undefined) return;
  if (filters.minPrice <= filters.maxPrice) return;
  throw new CatalogError('invalid_price_range', 'minPrice is above maxPrice', {
    errors: [{ field: 'minPrice', in: 'querystring', message: 'must not be above maxPrice' }],
  });
}
