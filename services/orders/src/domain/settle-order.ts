import { type Pool, withTransaction } from '@bazaar/db/pool';
import { addToOutbox } from '@bazaar/events/outbox';
import { type StoredOrder, selectOrder, updateOrderStatus } from '../store/order-store.js';
import type { OrderFailure } from './order.js';
import type { Neighbours, PaymentState } from './ports.js';

/**
 * The last steps of a checkout, once the card is authorized: the stock leaves the shelf, the money
 * is taken, the order is confirmed and `order.confirmed.v1` written with it. Every step is safe to
 * repeat, so the checkout and the recovery sweeper may both run it; one of them confirms.
 */
export async function completeOrder(
  db: Pool,
  services: Neighbours,
  order: StoredOrder,
  payment: PaymentState,
): Promise<StoredOrder> {
  if (!(await services.commitReservation(order.id))) {
    // The hold ran out before payment finished: give the money back rather than oversell.
    await services.settlePayment(order.id, payment.status === 'captured' ? 'refund' : 'void');
    return failOrder(db, services, order, 'rejected', {
      code: 'reservation_expired',
      detail: 'The stock held for this order was released before payment completed',
    });
  }
  if (payment.status === 'authorized') await services.settlePayment(order.id, 'capture');
  await withTransaction(db, async (trx) => {
    const confirmed = await updateOrderStatus(trx, order.id, {
      from: 'pending',
      to: 'confirmed',
      payment: { method: 'card', brand: payment.cardBrand, last4: payment.cardLast4 },
    });
    if (!confirmed) return;
    await addToOutbox(trx, {
      type: 'order.confirmed.v1',
      subject: order.id,
      data: {
        orderId: order.id,
        userId: order.userId,
        email: order.email,
        lines: order.lines.map(({ sku, name, quantity, unitPrice }) => ({
          sku,
          name,
          quantity,
          unitPrice,
        })),
        total: order.total,
      },
    });
  });
  return reread(db, order.id);
}

/**
 * Ends a pending order without a sale. What it held goes back first, the stock and the lines it
 * took from the cart (each a no-op where the checkout never got that far), so that a crash after
 * the order's end leaves nothing held.
 */
export async function failOrder(
  db: Pool,
  services: Neighbours,
  order: StoredOrder,
  status: 'rejected' | 'payment_failed',
  failure: OrderFailure,
): Promise<StoredOrder> {
  await services.releaseReservation(order.id);
  await services.giveBackCart(order.userId, order.id);
  await updateOrderStatus(db, order.id, { from: 'pending', to: status, failure });
  return reread(db, order.id);
}

async function reread(db: Pool, id: string): Promise<StoredOrder> {
  const order = await selectOrder(db, id);
  if (!order) throw new Error(`order ${id} vanished`);
  return order;
}
