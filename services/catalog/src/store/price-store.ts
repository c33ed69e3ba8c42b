import type { SkuPrice } from '@bazaar/contracts/internal-api';
import type { Queryable } from '@bazaar/db/pool';

type PriceRow = {
  sku: string;
  product_id: string;
  slug: string;
  name: string;
  options: Record<string, string>;
  image: string | null;
  amount: number;
  currency: string;
  active: boolean;
  categories: string[];
};

/** A SKU's price with its category and that category's parents, nearest first. */
export type PricedSku = SkuPrice & { categories: string[] };

/**
 * The current price in `currency` of each SKU that exists (any product status) and has one, in one
 * query.
 */
export async function selectPrices(
  db: Queryable,
  skus: readonly string[],
  currency: string,
): Promise<PricedSku[]> {
  const { rows } = await db.query<PriceRow>(
    `SELECT v.sku, v.product_id, p.slug, p.name, v.options, p.images[1] AS image, vp.amount,
            vp.currency, p.status = 'active' AS active,
            array_remove(ARRAY[c.slug, parent.slug], NULL) AS categories
       FROM variants v
       JOIN products p ON p.id = v.product_id
       JOIN variant_prices vp ON vp.sku = v.sku AND vp.currency = $2
       JOIN categories c ON c.id = p.category_id
       LEFT JOIN categories parent ON parent.id = c.parent_id
      WHERE v.sku = ANY($1) ORDER BY v.sku`,
    [skus, currency],
  );
  return rows.map((row) => ({
    sku: row.sku,
    productId: row.product_id,
    slug: row.slug,
    name: Object.values(row.options).length
      ? `${row.name} (${Object.values(row.options).join(', ')})`
      : row.name,
    image: row.image,
    price: { amount: row.amount, currency: row.currency },
    active: row.active,
    categories: row.categories,
  }));
}
