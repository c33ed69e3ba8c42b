import type { SkuPrice } from '@bazaar/contracts/internal-api';
import type { Queryable } from '@bazaar/db/pool';

type PriceRow = {
  sku: string;
  product_id: string;
  slug: string;
  name: string;
  options: Record<string, string>;
  image: string | null;
  price_amount: number;
  currency: string;
  active: boolean;
};

/** The current price of each SKU that exists (any product status), in one query. */
export async function selectPrices(db: Queryable, skus: readonly string[]): Promise<SkuPrice[]> {
  const { rows } = await db.query<PriceRow>(
    `SELECT v.sku, v.product_id, p.slug, p.name, v.options, p.images[1] AS image, v.price_amount,
            v.currency, p.status = 'active' AS active
       FROM variants v JOIN products p ON p.id = v.product_id
      WHERE v.sku = ANY($1) ORDER BY v.sku`,
    [skus],
  );
  return rows.map((row) => ({
    sku: row.sku,
    productId: row.product_id,
    slug: row.slug,
    name: Object.values(row.options).length
      ? `${row.name} (${Object.values(row.options).join(', ')})`
      : row.name,
    image: row.image,
    price: { amount: row.price_amount, currency: row.currency },
    active: row.active,
  }));
}
