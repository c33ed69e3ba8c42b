/** What the catalog page shows, as it stands in the URL: shareable, and the back button works. */
export type Listing = {
  q: string;
  category: string;
  minPrice: string;
  maxPrice: string;
  inStock: boolean;
  sort: '' | 'relevance' | 'newest' | 'price_asc' | 'price_desc';
  cursor: string;
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
    cursor: params.get('cursor') ?? '',
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
  if (listing.cursor) params.set('cursor', listing.cursor);
  return params;
}

/** A filter changed: the page starts again from the first result. */
export function withChange(listing: Listing, change: Partial<Listing>): Listing {
  return { ...listing, ...change, cursor: change.cursor ?? '' };
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
