import { type Pool, withTransaction } from '@bazaar/db/pool';
import { addToOutbox } from '@bazaar/events/outbox';
import { insertReservation, selectReservation } from '../store/reservation-store.js';
import { selectStocks } from '../store/stock-store.js';
import { InventoryError } from './errors.js';
import {
  normalizeLines,
  type Reservation,
  type ReservationLine,
  type StockLevel,
} from './stock.js';
import { availableBeforeChange, stockChangeEvents } from './stock-events.js';

/**
 * Reserves every line of an order or none: held until `ttlSeconds` from now, or with `commit`
 * taken off the shelf at once. Idempotent by order id: a repeated request returns the reservation
 * the first one made, whatever it asks for.
 */
export async function reserveStock(
  db: Pool,
  request: {
    orderId: string;
    lines: readonly ReservationLine[];
    ttlSeconds: number;
    commit?: boolean | undefined;
  },
): Promise<{ reservation: Reservation; created: boolean }> {
  const lines = normalizeLines(request.lines);
  const commit = request.commit === true;
  const wanted = { ...request, commit, lines };
  const madeNow = (expiresAt: string) => ({
    reservation: {
      orderId: request.orderId,
      status: commit ? ('committed' as const) : ('held' as const),
      expiresAt,
      lines,
    },
    created: true,
  });
  // Most reservations leave every SKU in stock and above its threshold, with nothing to announce
  // or roll back: one statement. A refusal, an event or a repeat takes the transaction below.
  const quiet = await insertReservation(db, wanted, { quietOnly: true });
  if (quiet.expiresAt !== undefined) return madeNow(quiet.expiresAt);
  return withTransaction(db, async (trx) => {
    const { expiresAt, known, held } = await insertReservation(trx, wanted, {
      quietOnly: false,
    });
    if (expiresAt === undefined) {
      const existing = await selectReservation(trx, request.orderId);
      if (!existing) throw new Error(`reservation ${request.orderId} vanished`);
      return { reservation: existing, created: false };
    }
    // Refusals roll back what the statement held.
    const unknown = lines.filter((line) => !known.includes(line.sku)).map((line) => line.sku);
    if (unknown.length > 0) {
      throw new InventoryError('unknown_sku', `No stock is kept for ${unknown.join(', ')}`, {
        skus: unknown,
      });
    }
    const after = new Map(held.map((level) => [level.sku, level]));
    const short = lines.filter((line) => !after.has(line.sku)).map((line) => line.sku);
    if (short.length > 0) {
      const levels = await selectStocks(trx, short);
      throw new InventoryError('out_of_stock', `Not enough stock for ${short.join(', ')}`, {
        skus: short,
        available: Object.fromEntries(levels.map((level) => [level.sku, level.available])),
      });
    }
    await addToOutbox(
      trx,
      ...lines.flatMap((line) => {
        const level = after.get(line.sku) as StockLevel;
        const change = commit
          ? { onHand: -line.quantity, reserved: 0 }
          : { onHand: 0, reserved: line.quantity };
        return stockChangeEvents(availableBeforeChange(level, change), level);
      }),
    );
    return madeNow(expiresAt);
  });
}
