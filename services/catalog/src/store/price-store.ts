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
 * query, three times a journey. PostgreSQL plans it once a connection, not once a call: the SKUs
 * come through a sub-select, so no call's array changes the estimates and it keeps the generic
 * plan (planning each call took 0.4 ms, longer than running it). The product, price and categories
 * are each looked up by primary key in a subquery, not joined: a join leaves the generic plan a
 * choice of join, and one planned on a fresh shop's tables, before any ANALYZE, hashed every
 * product on each call as the catalog grew.
 */
export async function selectPrices(
  db: Queryable,
  skus: readonly string[],
  currency: string,
): Promise<PricedSku[]> {
  const { rows } = await db.query<PriceRow>(
    `SELECT sku, product_id, (product).slug, (product).name, options,
            (product).images[1] AS image, amount, $2 AS currency,
            (product).status = 'active' AS active,
            (SELECT array_remove(ARRAY[c.slug, (SELECT parent.slug FROM categories parent
                                                 WHERE parent.id = c.parent_id)], NULL)
               FROM categories c WHERE c.id = (product).category_id) AS categories
       FROM (SELECT v.sku, v.product_id, v.options,
                    (SELECT p FROM products p WHERE p.id = v.product_id) AS product,
                    (SELECT vp.amount FROM variant_prices vp
                      WHERE vp.sku = v.sku AND vp.currency = $2) AS amount
               FROM variants v WHERE v.sku = ANY((SELECT $1::text[])::text[])
             -- Not merged into the outer query, which would look each product up once a column.
             OFFSET 0) AS priced
      WHERE amount IS NOT NULL ORDER BY sku`,
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
