import type { Queryable } from '@bazaar/db/pool';
import { selectActiveProducts, toListedProduct } from '../store/product-store.js';
import { decodeCursor, encodeCursor } from './listing-cursor.js';
import type { Page, ProductSummary } from './product.js';

/** One page of the public listing; reads one row past the page to know whether another follows. */
export async function listProducts(
  db: Queryable,
  query: { limit: number; cursor?: string | undefined },
): Promise<Page<ProductSummary>> {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const rows = await selectActiveProducts(db, { after, limit: query.limit + 1 });
  const listed = rows.map(toListedProduct);
  const last = listed.length > query.limit ? listed[query.limit - 1] : undefined;
  return {
    items: listed.slice(0, query.limit).map(({ product }) => product),
    nextCursor: last ? encodeCursor(last.position) : null,
  };
}
