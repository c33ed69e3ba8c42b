import type { Money } from '@bazaar/contracts/money';
import type { Queryable } from '@bazaar/db/pool';

/**
 * Makes each SKU's price list exactly the prices given, then each of `productIds`' lowest price
 * per currency (what the listing filters and sorts by) follow.
 */
export async function writePriceLists(
  db: Queryable,
  productIds: readonly string[],
  variants: ReadonlyArray<{ sku: string; prices: readonly Money[] }>,
): Promise<void> {
  const rows = variants.flatMap((variant) =>
    variant.prices.map((price) => ({ sku: variant.sku, ...price })),
  );
  // Separate statements: a DELETE in a WITH runs beside the INSERT, which would meet the old keys.
  await db.query('DELETE FROM variant_prices WHERE sku = ANY($1)', [
    variants.map((variant) => variant.sku),
  ]);
  await db.query(
    `INSERT INTO variant_prices (sku, currency, amount)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[])`,
    [rows.map((row) => row.sku), rows.map((row) => row.currency), rows.map((row) => row.amount)],
  );
  await db.query('DELETE FROM product_prices WHERE product_id = ANY($1)', [productIds]);
  await db.query(
    `INSERT INTO product_prices (product_id, currency, price_from)
     SELECT v.product_id, vp.currency, min(vp.amount)
       FROM variant_prices vp JOIN variants v ON v.sku = vp.sku
      WHERE v.product_id = ANY($1)
      GROUP BY v.product_id, vp.currency`,
    [productIds],
  );
}
