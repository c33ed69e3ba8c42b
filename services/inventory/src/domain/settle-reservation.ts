import { type Pool, type Queryable, withTransaction } from '@bazaar/db/pool';
import { addToOutbox } from '@bazaar/events/outbox';
import {
  anyOverdue,
  commitHeld,
  expireOverdue,
  insertReleased,
  insertReturn,
  type ReturnedLine,
  selectReservation,
  selectReturned,
  updateStatus,
} from '../store/reservation-store.js';
import { addDamaged, adjustStock } from '../store/stock-store.js';
import { InventoryError } from './errors.js';
import { normalizeLines, type Reservation, type ReservationLine } from './stock.js';
import { availableBeforeChange, stockChangeEvents } from './stock-events.js';

/** The order was paid: its held stock leaves the shelf. Committing twice changes nothing. */
export async function commitReservation(db: Pool, orderId: string): Promise<Reservation> {
  const committed = await commitHeld(db, orderId);
  if (committed) return committed;
  // Not held: committed already (a repeat), or in a status that refuses it.
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
    // Units a return already brought back are not put back twice.
    const returned = returning ? await selectReturned(trx, orderId) : new Map<string, number>();
    for (const line of reservation.lines) {
      const quantity = line.quantity - (returned.get(line.sku) ?? 0);
      if (quantity === 0) continue;
      await moveStock(
        trx,
        line.sku,
        returning ? { onHand: quantity, reserved: 0 } : { onHand: 0, reserved: -quantity },
      );
    }
    const status = returning ? 'returned' : 'released';
    await updateStatus(trx, orderId, status);
    return { ...reservation, status };
  });
}

/**
 * Units of a sold order came back (a return received, lines cancelled before shipping): sellable
 * ones go back on the shelf, damaged ones to the damaged count. Recorded once by `returnId`; a
 * return of an order whose whole reservation was already put back (the order cancelled) moves
 * nothing, and no more units come back of a SKU than the order bought.
 */
export async function receiveReturn(
  db: Pool,
  orderId: string,
  returned: { returnId: string; lines: readonly ReturnedLine[] },
): Promise<void> {
  await withTransaction(db, async (trx) => {
    const reservation = await lockedReservation(trx, orderId);
    if (reservation.status !== 'committed' && reservation.status !== 'returned') {
      throw new InventoryError(
        'reservation_not_committed',
        `The reservation is ${reservation.status}: nothing of it was sold`,
        { reservationStatus: reservation.status },
      );
    }
    const lines = [...returned.lines].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
    if (!(await insertReturn(trx, { orderId, ...returned, lines }))) return;
    const after = await selectReturned(trx, orderId);
    for (const line of lines) {
      const bought = reservation.lines.find((held) => held.sku === line.sku)?.quantity ?? 0;
      if ((after.get(line.sku) ?? 0) > bought) {
        throw new InventoryError(
          'unprocessable',
          `Order ${orderId} did not sell that many ${line.sku}`,
          {
            errors: [
              { field: 'lines', in: 'body', message: `hold more ${line.sku} than were sold` },
            ],
          },
        );
      }
    }
    if (reservation.status === 'returned') return;
    for (const line of lines) {
      const sellable = line.quantity - line.damaged;
      if (sellable > 0) await moveStock(trx, line.sku, { onHand: sellable, reserved: 0 });
      if (line.damaged > 0) await addDamaged(trx, line.sku, line.damaged);
    }
  });
}

/**
 * Releases up to `batch` reservations whose time ran out; returns how many. None overdue costs
 * one statement, not a transaction.
 */
export async function releaseExpiredReservations(db: Pool, batch = 200): Promise<number> {
  if (!(await anyOverdue(db))) return 0;
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
