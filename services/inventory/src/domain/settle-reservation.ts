import { type Pool, type Queryable, withTransaction } from '@bazaar/db/pool';
import { addToOutbox } from '@bazaar/events/outbox';
import {
  expireOverdue,
  insertReleased,
  selectReservation,
  updateStatus,
} from '../store/reservation-store.js';
import { adjustStock } from '../store/stock-store.js';
import { InventoryError } from './errors.js';
import { normalizeLines, type Reservation, type ReservationLine } from './stock.js';
import { availableBeforeChange, stockChangeEvents } from './stock-events.js';

/** The order was paid: its held stock leaves the shelf. Committing twice changes nothing. */
export async function commitReservation(db: Pool, orderId: string): Promise<Reservation> {
  return withTransaction(db, async (trx) => {
    const reservation = await lockedReservation(trx, orderId);
    if (reservation.status === 'committed') return reservation;
    if (reservation.status !== 'held') {
      throw new InventoryError('reservation_not_held', `The reservation is ${reservation.status}`, {
        reservationStatus: reservation.status,
      });
    }
    for (const line of reservation.lines) {
      await moveStock(trx, line.sku, { onHand: -line.quantity, reserved: -line.quantity });
    }
    await updateStatus(trx, orderId, 'committed');
    return { ...reservation, status: 'committed' };
  });
}

/**
 * Gives the stock back: a held reservation is released, a committed one returned to the shelf
 * (a cancelled order). Releasing again, or after expiry, changes nothing. An order with no
 * reservation is recorded as released all the same, so that its request to reserve, should it
 * still arrive (held up on the way), holds nothing.
 */
export async function releaseReservation(db: Pool, orderId: string): Promise<Reservation> {
  return withTransaction(db, async (trx) => {
    const released = await insertReleased(trx, orderId);
    if (released) return { orderId, status: 'released', expiresAt: released, lines: [] };
    const reservation = await lockedReservation(trx, orderId);
    if (reservation.status !== 'held' && reservation.status !== 'committed') return reservation;
    const returning = reservation.status === 'committed';
    for (const line of reservation.lines) {
      await moveStock(
        trx,
        line.sku,
        returning
          ? { onHand: line.quantity, reserved: 0 }
          : { onHand: 0, reserved: -line.quantity },
      );
    }
    const status = returning ? 'returned' : 'released';
    await updateStatus(trx, orderId, status);
    return { ...reservation, status };
  });
}

/** Releases up to `batch` reservations whose time ran out; returns how many. */
export async function releaseExpiredReservations(db: Pool, batch = 200): Promise<number> {
  return withTransaction(db, async (trx) => {
    const orderIds = await expireOverdue(trx, batch);
    const lines: ReservationLine[] = [];
    for (const orderId of orderIds)
      lines.push(...((await selectReservation(trx, orderId))?.lines ?? []));
    // All SKUs of the batch in one global order, as every other transaction locks them.
    for (const line of normalizeLines(lines)) {
      await moveStock(trx, line.sku, { onHand: 0, reserved: -line.quantity });
    }
    return orderIds.length;
  });
}

async function moveStock(
  trx: Queryable,
  sku: string,
  change: { onHand: number; reserved: number },
) {
  const after = await adjustStock(trx, sku, change);
  await addToOutbox(trx, ...stockChangeEvents(availableBeforeChange(after, change), after));
}

async function lockedReservation(trx: Queryable, orderId: string) {
  const reservation = await selectReservation(trx, orderId, { forUpdate: true });
  if (!reservation) throw new InventoryError('not_found', `No reservation for order ${orderId}`);
  return reservation;
}
