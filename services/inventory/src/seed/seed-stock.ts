import { catalogSeed } from '@bazaar/catalog/seed';
import { type Pool, withTransaction } from '@bazaar/db/pool';
import { addToOutbox } from '@bazaar/events/outbox';
import { stockChangeEvents } from '../domain/stock-events.js';
import { insertStocks } from '../store/stock-store.js';

/**
 * Stock for every SKU of the demo catalog: most have 20–99 units, every 11th only 3 (to show
 * low-stock alerts) and every 23rd none (to show "sold out"). SKUs that already have stock keep it. Each added SKU is announced, so catalog learns what is in
 * stock.
 */
export async function seedStock(pool: Pool): Promise<{ skus: number }> {
  const skus = catalogSeed().products.flatMap((product) =>
    product.variants.map((variant) => variant.sku),
  );
  const stocks = skus.map((sku, index) => ({
    sku,
    onHand: index % 23 === 0 ? 0 : index % 11 === 0 ? 3 : 20 + ((index * 37) % 80),
  }));
  const inserted = await withTransaction(pool, async (trx) => {
    const added = await insertStocks(trx, stocks);
    await addToOutbox(trx, ...added.flatMap((stock) => stockChangeEvents(undefined, stock)));
    return added.length;
  });
  await pool.query('ANALYZE stock');
  return { skus: inserted };
}
