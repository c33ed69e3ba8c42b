import type { Queryable } from '@bazaar/db/pool';
import type {
  Reservation,
  ReservationLine,
  ReservationStatus,
  StockLevel,
} from '../domain/stock.js';
import { type StockRow, toStockLevel } from './stock-store.js';

/**
 * The stock rows of the SKUs in `source` (a CTE of `sku, quantity`, aliased `w`), locked in SKU
 * order by byte, the order every transaction here locks them in (`normalizeLines` sorts the same
 * way), so two never wait on each other crosswise; with the `also` columns given.
 */
const lockedStock = (source: string, also?: string) =>
  `SELECT s.sku${also ? `, ${also}` : ''} FROM stock s JOIN ${source} w USING (sku)
    ORDER BY s.sku COLLATE "C" FOR UPDATE OF s`;

type StockJson = Omit<StockRow, 'updated_at'> & { updated_at: string };
const fromJson = (row: StockJson): StockLevel =>
  toStockLevel({ ...row, updated_at: new Date(row.updated_at) });

/**
 * Creates the order's reservation and holds every line, in one statement; with `commit`, the lines
 * leave the shelf at once (the reservation is made committed, and has no expiry to outlive).
 * `expiresAt` undefined when nothing was done (the order already had one; with `quietOnly`, also a
 * reservation that would leave a SKU short, unknown, sold out or under its low-stock threshold,
 * which others must be told of), else `known` (the SKUs with a stock row) and `held` (the levels
 * after, of each line there was enough of). Fewer held than lines means the transaction must be
 * rolled back.
 */
export async function insertReservation(
  db: Queryable,
  reservation: {
    orderId: string;
    ttlSeconds: number;
    commit: boolean;
    lines: readonly ReservationLine[];
  },
  { quietOnly }: { quietOnly: boolean },
): Promise<{ expiresAt?: string; known: string[]; held: StockLevel[] }> {
  const { rows } = await db.query<{ expires_at: Date | null; known: string[]; held: StockJson[] }>(
    `WITH wanted AS (SELECT * FROM unnest($3::text[], $4::int[]) AS w (sku, quantity)),
     locked AS (${lockedStock(
       'wanted',
       's.on_hand - s.reserved - w.quantity >= greatest(s.low_stock_threshold, 1) AS quiet',
     )}),
     reservation AS (
       INSERT INTO reservations (order_id, status, expires_at)
       SELECT $1, CASE WHEN $6 THEN 'committed' ELSE 'held' END,
              now() + make_interval(secs => CASE WHEN $6 THEN 0 ELSE $2 END)
        WHERE NOT $5 OR (SELECT count(*) FILTER (WHERE quiet) FROM locked) = cardinality($3)
       ON CONFLICT (order_id) DO NOTHING RETURNING expires_at),
     held AS (
       UPDATE stock s SET on_hand = s.on_hand - CASE WHEN $6 THEN w.quantity ELSE 0 END,
              reserved = s.reserved + CASE WHEN $6 THEN 0 ELSE w.quantity END,
              updated_at = clock_timestamp()
         FROM wanted w
        WHERE s.sku = w.sku AND s.sku IN (SELECT sku FROM locked)
          AND EXISTS (SELECT FROM reservation) AND s.on_hand - s.reserved >= w.quantity
        RETURNING s.sku, s.on_hand, s.reserved, s.low_stock_threshold, s.updated_at),
     lines AS (INSERT INTO reservation_lines (order_id, sku, quantity)
               SELECT $1, sku, quantity FROM wanted
                WHERE sku IN (SELECT sku FROM locked) AND EXISTS (SELECT FROM reservation))
     SELECT (SELECT expires_at FROM reservation) AS expires_at,
            (SELECT coalesce(json_agg(sku), '[]') FROM locked) AS known,
            (SELECT coalesce(json_agg(held), '[]') FROM held) AS held`,
    [
      reservation.orderId,
      reservation.ttlSeconds,
      reservation.lines.map((line) => line.sku),
      reservation.lines.map((line) => line.quantity),
      quietOnly,
      reservation.commit,
    ],
  );
  const row = rows[0];
  return {
    ...(row?.expires_at ? { expiresAt: row.expires_at.toISOString() } : {}),
    known: row?.known ?? [],
    held: (row?.held ?? []).map(fromJson),
  };
}

/**
 * Commits a held reservation in one statement: its stock leaves the shelf (on hand and reserved
 * both fall, so what is available does not move); undefined when it is not held.
 */
export async function commitHeld(db: Queryable, orderId: string): Promise<Reservation | undefined> {
  const { rows } = await db.query<{ expires_at: Date; lines: ReservationLine[] }>(
    `WITH reservation AS (
       UPDATE reservations SET status = 'committed', updated_at = now()
        WHERE order_id = $1 AND status = 'held' RETURNING order_id, expires_at),
     held AS (SELECT l.sku, l.quantity FROM reservation_lines l JOIN reservation USING (order_id)),
     locked AS (${lockedStock('held')}),
     moved AS (
       UPDATE stock s SET on_hand = s.on_hand - h.quantity, reserved = s.reserved - h.quantity,
              updated_at = clock_timestamp()
         FROM held h WHERE s.sku = h.sku AND s.sku IN (SELECT sku FROM locked))
     SELECT r.expires_at,
            (SELECT coalesce(json_agg(json_build_object('sku', sku, 'quantity', quantity)
                                      ORDER BY sku), '[]') FROM held) AS lines
       FROM reservation r`,
    [orderId],
  );
  const row = rows[0];
  return (
    row && {
      orderId,
      status: 'committed',
      expiresAt: row.expires_at.toISOString(),
      lines: row.lines,
    }
  );
}

/** Records an order that never reserved as released; its expiry time, or undefined if it had one. */
export async function insertReleased(db: Queryable, orderId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ expires_at: Date }>(
    `INSERT INTO reservations (order_id, status, expires_at) VALUES ($1, 'released', now())
     ON CONFLICT (order_id) DO NOTHING RETURNING expires_at`,
    [orderId],
  );
  return rows[0]?.expires_at.toISOString();
}

export async function selectReservation(
  db: Queryable,
  orderId: string,
  options: { forUpdate?: boolean } = {},
): Promise<Reservation | undefined> {
  const { rows } = await db.query<{ status: ReservationStatus; expires_at: Date }>(
    `SELECT status, expires_at FROM reservations WHERE order_id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [orderId],
  );
  const row = rows[0];
  if (!row) return undefined;
  const lines = await db.query<ReservationLine>(
    'SELECT sku, quantity FROM reservation_lines WHERE order_id = $1 ORDER BY sku',
    [orderId],
  );
  return {
    orderId,
    status: row.status,
    expiresAt: row.expires_at.toISOString(),
    lines: lines.rows,
  };
}

export async function updateStatus(db: Queryable, orderId: string, status: ReservationStatus) {
  await db.query('UPDATE reservations SET status = $2, updated_at = now() WHERE order_id = $1', [
    orderId,
    status,
  ]);
}

export async function anyOverdue(db: Queryable): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM reservations WHERE status = 'held' AND expires_at < now() LIMIT 1`,
  );
  return rows.length > 0;
}

/**
 * Marks up to `limit` overdue held reservations expired and returns their order ids. SKIP LOCKED
 * lets several replicas sweep at once without waiting on, or double-releasing, each other's rows.
 */
export async function expireOverdue(db: Queryable, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ order_id: string }>(
    `UPDATE reservations SET status = 'expired', updated_at = now()
      WHERE order_id IN (
        SELECT order_id FROM reservations
         WHERE status = 'held' AND expires_at < now()
         ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING order_id`,
    [limit],
  );
  return rows.map((row) => row.order_id);
}

/** What came back of an order through returns, per SKU (damaged units included). */
export async function selectReturned(db: Queryable, orderId: string): Promise<Map<string, number>> {
  const { rows } = await db.query<{ sku: string; quantity: number }>(
    `SELECT sku, sum(quantity)::int AS quantity FROM reservation_returns
      WHERE order_id = $1 GROUP BY sku`,
    [orderId],
  );
  return new Map(rows.map((row) => [row.sku, row.quantity]));
}

export type ReturnedLine = { sku: string; quantity: number; damaged: number };

/** Records a return's lines; false when a return of this id was recorded before. */
export async function insertReturn(
  db: Queryable,
  returned: { returnId: string; orderId: string; lines: readonly ReturnedLine[] },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO reservation_returns (return_id, order_id, sku, quantity, damaged)
     SELECT $1, $2, * FROM unnest($3::text[], $4::int[], $5::int[]) ON CONFLICT DO NOTHING`,
    [
      returned.returnId,
      returned.orderId,
      returned.lines.map((line) => line.sku),
      returned.lines.map((line) => line.quantity),
      returned.lines.map((line) => line.damaged),
    ],
  );
  return (rowCount ?? 0) > 0;
}
