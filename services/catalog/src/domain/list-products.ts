import type { Queryable } from '@bazaar/db/pool';
import { decodeCursor, type Page, toPage } from '@bazaar/service-kit/keyset-cursor';
import { selectActiveProducts, toListedProduct } from '../store/product-store.js';
import type { ProductSummary } from './product.js';

/** One page of the public listing, newest first. */
export async function listProducts(
  db: Queryable,
  query: { limit: number; cursor?: string | undefined },
): Promise<Page<ProductSummary>> {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const rows = await selectActiveProducts(db, { after, limit: query.limit + 1 });
  return toPage(rows.map(toListedProduct), query.limit);
}
