import type { Queryable } from '@bazaar/db/pool';
import type { StockLevel } from '../domain/stock.js';

export type StockRow = {
  sku: string;
  on_hand: number;
  reserved: number;
  low_stock_threshold: number;
  updated_at: Date;
};

const columns = 'sku, on_hand, reserved, low_stock_threshold, updated_at';

export function toStockLevel(row: StockRow): StockLevel {
  return {
    sku: row.sku,
    onHand: row.on_hand,
    reserved: row.reserved,
    available: row.on_hand - row.reserved,
    lowStockThreshold: row.low_stock_threshold,
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function selectStock(
  db: Queryable,
  sku: string,
  options: { forUpdate?: boolean } = {},
): Promise<StockLevel | undefined> {
  const { rows } = await db.query<StockRow>(
    `SELECT ${columns} FROM stock WHERE sku = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [sku],
  );
  return rows[0] && toStockLevel(rows[0]);
}

export async function selectStocks(
  db: Queryable,
  skus: readonly string[],
  options: { forUpdate?: boolean } = {},
): Promise<StockLevel[]> {
  const { rows } = await db.query<StockRow>(
    `SELECT ${columns} FROM stock WHERE sku = ANY($1) ORDER BY sku${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [skus],
  );
  return rows.map(toStockLevel);
}

/**
 * A page of SKUs' stock in SKU order after `after`: those whose SKU holds `skuPart`, and with
 * `low`, only those at or under their low-stock threshold.
 */
export async function selectStockPage(
  db: Queryable,
  page: { skuPart?: string | undefined; low: boolean; after?: string | undefined; limit: number },
): Promise<StockLevel[]> {
  const { rows } = await db.query<StockRow>(
    `SELECT ${columns} FROM stock
      WHERE ($1::text IS NULL OR strpos(sku, $1) > 0)
        AND (NOT $2 OR on_hand - reserved <= low_stock_threshold)
        AND ($3::text IS NULL OR sku > $3)
      ORDER BY sku LIMIT $4`,
    [page.skuPart ?? null, page.low, page.after ?? null, page.limit],
  );
  return rows.map(toStockLevel);
}

/** Every SKU's stock, in SKU order. */
export async function selectAllStock(db: Queryable): Promise<StockLevel[]> {
  const { rows } = await db.query<StockRow>(`SELECT ${columns} FROM stock ORDER BY sku`);
  return rows.map(toStockLevel);
}

/** Sets the on-hand count (and threshold, where given) of many SKUs in one statement. */
export async function upsertStocks(
  db: Queryable,
  stocks: ReadonlyArray<{ sku: string; onHand: number; lowStockThreshold?: number | undefined }>,
): Promise<StockLevel[]> {
  const { rows } = await db.query<StockRow>(
    `INSERT INTO stock (sku, on_hand, low_stock_threshold)
     SELECT sku, on_hand, coalesce(threshold, 5)
       FROM unnest($1::text[], $2::int[], $3::int[]) AS given (sku, on_hand, threshold)
     ON CONFLICT (sku) DO UPDATE SET
       on_hand = excluded.on_hand,
       low_stock_threshold = excluded.low_stock_threshold,
       updated_at = clock_timestamp()
     RETURNING ${columns}`,
    [
      stocks.map((stock) => stock.sku),
      stocks.map((stock) => stock.onHand),
      stocks.map((stock) => stock.lowStockThreshold ?? null),
    ],
  );
  return rows.map(toStockLevel);
}

export async function upsertStock(
  db: Queryable,
  stock: { sku: string; onHand: number; lowStockThreshold?: number | undefined },
): Promise<StockLevel> {
  const { rows } = await db.query<StockRow>(
    `INSERT INTO stock (sku, on_hand, low_stock_threshold) VALUES ($1, $2, COALESCE($3, 5))
     ON CONFLICT (sku) DO UPDATE SET
       on_hand = excluded.on_hand,
       low_stock_threshold = COALESCE($3, stock.low_stock_threshold),
       updated_at = clock_timestamp()
     RETURNING ${columns}`,
    [stock.sku, stock.onHand, stock.lowStockThreshold ?? null],
  );
  return toStockLevel(rows[0] as StockRow);
}

/** Moves stock between states of a reservation: release (held → free), ship (held → gone), return (gone → free). */
export async function adjustStock(
  db: Queryable,
  sku: string,
  change: { onHand: number; reserved: number },
): Promise<StockLevel> {
  const { rows } = await db.query<StockRow>(
    `UPDATE stock SET on_hand = on_hand + $2, reserved = reserved + $3, updated_at = clock_timestamp()
      WHERE sku = $1 RETURNING ${columns}`,
    [sku, change.onHand, change.reserved],
  );
  if (!rows[0]) throw new Error(`no stock row for ${sku}`);
  return toStockLevel(rows[0]);
}

/** Counts units that came back damaged: off the shelf for good. */
export async function addDamaged(db: Queryable, sku: string, quantity: number): Promise<void> {
  await db.query('UPDATE stock SET damaged = damaged + $2 WHERE sku = $1', [sku, quantity]);
}

/** Adds stock for SKUs that have none yet; returns the rows it added. */
export async function insertStocks(
  db: Queryable,
  stocks: ReadonlyArray<{ sku: string; onHand: number }>,
): Promise<StockLevel[]> {
  const { rows } = await db.query<StockRow>(
    `INSERT INTO stock (sku, on_hand) SELECT * FROM unnest($1::text[], $2::int[])
     ON CONFLICT (sku) DO NOTHING RETURNING ${columns}`,
    [stocks.map((stock) => stock.sku), stocks.map((stock) => stock.onHand)],
  );
  return rows.map(toStockLevel);
}
