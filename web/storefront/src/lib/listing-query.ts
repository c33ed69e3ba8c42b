/** What the catalog page shows, as it stands in the URL: shareable, and the back button works. */
export type Listing = {
  q: string;
  category: string;
  minPrice: string;
  maxPrice: string;
  inStock: boolean;
  sort: '' | 'relevance' | 'newest' | 'price_asc' | 'price_desc';
  /** Counted from 1. */
  page: number;
};

const sorts = new Set(['relevance', 'newest', 'price_asc', 'price_desc']);

export function readListing(params: URLSearchParams): Listing {
  const sort = params.get('sort') ?? '';
  return {
    q: params.get('q') ?? '',
    category: params.get('category') ?? '',
    minPrice: params.get('minPrice') ?? '',
    maxPrice: params.get('maxPrice') ?? '',
    inStock: params.get('inStock') === 'true',
    sort: (sorts.has(sort) ? sort : '') as Listing['sort'],
    page: Math.max(1, Math.min(maxPage, Math.trunc(Number(params.get('page'))) || 1)),
  };
}

/** The URL form: only what differs from the defaults. Prices are typed in units, e.g. "20". */
export function listingParams(listing: Listing): URLSearchParams {
  const params = new URLSearchParams();
  if (listing.q.trim()) params.set('q', listing.q.trim());
  if (listing.category) params.set('category', listing.category);
  if (listing.minPrice) params.set('minPrice', listing.minPrice);
  if (listing.maxPrice) params.set('maxPrice', listing.maxPrice);
  if (listing.inStock) params.set('inStock', 'true');
  if (listing.sort) params.set('sort', listing.sort);
  if (listing.page > 1) params.set('page', String(listing.page));
  return params;
}

/** A filter changed: the page starts again from the first result. */
export function withChange(listing: Listing, change: Partial<Listing>): Listing {
  return { ...listing, ...change, page: change.page ?? 1 };
}

/** The catalog numbers no page beyond this (the API's limit). */
export const maxPage = 100;

/**
 * The page numbers a pager shows: the first, the last, and those next to the current one, with a
 * gap where numbers are left out: 1 … 4 5 6 … 10.
 */
export function pageNumbers(current: number, last: number): Array<number | 'gap'> {
  const shown = [...new Set([1, current - 1, current, current + 1, last])]
    .filter((page) => page >= 1 && page <= last)
    .sort((a, b) => a - b);
  return shown.flatMap((page, index) => {
    const before = shown[index - 1];
    if (before === undefined || page === before + 1) return [page];
    // A single left-out number is shown rather than a gap standing for it.
    return page === before + 2 ? [before + 1, page] : ['gap' as const, page];
  });
}

/** The API query: prices from units to minor units; invalid numbers are left out. */
export function listingApiQuery(listing: Listing, limit: number): string {
  const params = listingParams({ ...listing, minPrice: '', maxPrice: '' });
  for (const name of ['minPrice', 'maxPrice'] as const) {
    const units = Number(listing[name]);
    if (listing[name] !== '' && Number.isFinite(units) && units >= 0) {
      params.set(name, String(Math.round(units * 100)));
    }
  }
  params.set('limit', String(limit));
  return params.toString();
}
