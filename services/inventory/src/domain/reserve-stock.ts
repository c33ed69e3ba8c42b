import { type Pool, withTransaction } from '@bazaar/db/pool';
import { addToOutbox } from '@bazaar/events/outbox';
import { insertLines, insertReservation, selectReservation } from '../store/reservation-store.js';
import { holdStock, selectStocks } from '../store/stock-store.js';
import { InventoryError } from './errors.js';
import { normalizeLines, type Reservation, type ReservationLine } from './stock.js';
import { availableBeforeChange, stockChangeEvents } from './stock-events.js';

/**
 * Reserves every line of an order or none. Idempotent by order id: a repeated request returns the
 * reservation the first one made, whatever it asks for.
 */
export async function reserveStock(
  db: Pool,
  request: { orderId: string; lines: readonly ReservationLine[]; ttlSeconds: number },
): Promise<{ reservation: Reservation; created: boolean }> {
  const lines = normalizeLines(request.lines);
  return withTransaction(db, async (trx) => {
    const expiresAt = await insertReservation(trx, request);
    if (expiresAt === undefined) {
      const existing = await selectReservation(trx, request.orderId);
      if (!existing) throw new Error(`reservation ${request.orderId} vanished`);
      return { reservation: existing, created: false };
    }
    const stocked = await selectStocks(
      trx,
      lines.map((line) => line.sku),
    );
    const known = new Set(stocked.map((stock) => stock.sku));
    const unknown = lines.filter((line) => !known.has(line.sku)).map((line) => line.sku);
    if (unknown.length > 0) {
      throw new InventoryError('unknown_sku', `No stock is kept for ${unknown.join(', ')}`, {
        skus: unknown,
      });
    }
    const short: string[] = [];
    for (const line of lines) {
      const after = await holdStock(trx, line.sku, line.quantity);
      if (!after) short.push(line.sku);
      else {
        const change = { onHand: 0, reserved: line.quantity };
        await addToOutbox(trx, ...stockChangeEvents(availableBeforeChange(after, change), after));
      }
    }
    if (short.length > 0) {
      const levels = await selectStocks(trx, short);
      throw new InventoryError('out_of_stock', `Not enough stock for ${short.join(', ')}`, {
        skus: short,
        available: Object.fromEntries(levels.map((level) => [level.sku, level.available])),
      });
    }
    await insertLines(trx, request.orderId, lines);
    return {
      reservation: { orderId: request.orderId, status: 'held', expiresAt, lines },
      created: true,
    };
  });
}
