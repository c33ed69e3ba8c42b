import type { Queryable } from '@bazaar/db/pool';
import type { Reservation, ReservationLine, ReservationStatus } from '../domain/stock.js';

/**
 * Creates the order's reservation, expiring by the database clock (the one the sweeper reads);
 * returns its expiry, or undefined when the order already has one (a repeated request).
 */
export async function insertReservation(
  db: Queryable,
  reservation: { orderId: string; ttlSeconds: number },
): Promise<string | undefined> {
  const { rows } = await db.query<{ expires_at: Date }>(
    `INSERT INTO reservations (order_id, status, expires_at)
     VALUES ($1, 'held', now() + make_interval(secs => $2))
     ON CONFLICT (order_id) DO NOTHING
     RETURNING expires_at`,
    [reservation.orderId, reservation.ttlSeconds],
  );
  return rows[0]?.expires_at.toISOString();
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

export async function insertLines(
  db: Queryable,
  orderId: string,
  lines: readonly ReservationLine[],
) {
  await db.query(
    `INSERT INTO reservation_lines (order_id, sku, quantity)
     SELECT $1, * FROM unnest($2::text[], $3::int[])`,
    [orderId, lines.map((line) => line.sku), lines.map((line) => line.quantity)],
  );
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
