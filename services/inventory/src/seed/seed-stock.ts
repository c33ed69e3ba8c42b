import { catalogSeed } from '@bazaar/catalog/seed';
import type { Pool } from '@bazaar/db/pool';
import { insertStocks } from '../store/stock-store.js';

/**
 * Stock for every SKU of the demo catalog: most have 20–99 units, every 11th only 3 (to show
 * low-stock alerts) and every 23rd none (to show "sold out"). SKUs that already have stock keep it.
 */
export async function seedStock(pool: Pool): Promise<{ skus: number }> {
  const skus = catalogSeed().products.flatMap((product) =>
    product.variants.map((variant) => variant.sku),
  );
  const stocks = skus.map((sku, index) => ({
    sku,
    onHand: index % 23 === 0 ? 0 : index % 11 === 0 ? 3 : 20 + ((index * 37) % 80),
  }));
  const inserted = await insertStocks(pool, stocks);
  await pool.query('ANALYZE stock');
  return { skus: inserted };
}
