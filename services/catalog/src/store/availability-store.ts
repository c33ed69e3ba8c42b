import type { Queryable } from '@bazaar/db/pool';

/** Records what inventory announced, unless a later announcement for the SKU is already here. */
export async function recordAvailability(
  db: Queryable,
  availability: { sku: string; inStock: boolean; changedAt: string },
): Promise<void> {
  await db.query(
    `INSERT INTO sku_availability (sku, in_stock, changed_at) VALUES ($1, $2, $3)
     ON CONFLICT (sku) DO UPDATE SET in_stock = excluded.in_stock, changed_at = excluded.changed_at
      WHERE sku_availability.changed_at < excluded.changed_at`,
    [availability.sku, availability.inStock, availability.changedAt],
  );
}
