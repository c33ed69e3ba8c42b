import { type Pool, withTransaction } from '@bazaar/db/pool';
import { addToOutbox } from '@bazaar/events/outbox';
import type { Principal } from '@bazaar/service-kit/auth';
import { type StoredOrder, selectOrder, updateOrderStatus } from '../store/order-store.js';
import { OrdersError } from './errors.js';
import { assertTransition } from './order.js';
import { orderSteps, type SagaDeps } from './order-saga.js';
import { undoBetween } from './saga.js';

/** The order if `principal` may see it: its owner or an admin. Anyone else learns nothing: 404. */
export async function visibleOrder(
  db: Pool,
  principal: Principal,
  orderId: string,
): Promise<StoredOrder> {
  const order = await selectOrder(db, orderId);
  if (!order || (principal.role !== 'admin' && order.userId !== principal.subject)) {
    throw new OrdersError('not_found', `There is no order ${orderId}`);
  }
  return order;
}

/**
 * Cancels a confirmed order: its saga's capture and stock are undone (the money goes back, the
 * stock returns to the shelf), then the order is cancelled and `order.cancelled.v1` written. Each
 * step is idempotent: a cancel interrupted halfway is finished by cancelling again.
 */
export async function cancelOrder(
  deps: SagaDeps,
  principal: Principal,
  orderId: string,
  reason: string,
): Promise<StoredOrder> {
  const { db } = deps;
  const order = await visibleOrder(db, principal, orderId);
  if (order.status === 'cancelled') return order;
  assertTransition(order.status, 'cancelled');
  // Refunded after it shipped: the goods are with the shopper, the stock must not come back.
  if (order.shipment) {
    throw new OrdersError('invalid_transition', 'A shipped order cannot be cancelled', {
      orderStatus: order.status,
    });
  }
  await undoBetween(
    orderSteps,
    { ...deps, order },
    { first: 'commit stock', last: 'capture payment' },
  );
  const cancelled = await updateOrderStatus(
    db,
    order.id,
    { to: 'cancelled', failure: { code: 'cancelled', detail: reason } },
    [
      {
        type: 'order.cancelled.v1',
        subject: order.id,
        data: { orderId: order.id, userId: order.userId, email: order.email, reason },
      },
    ],
  );
  if (!cancelled) {
    throw new OrdersError('invalid_transition', 'The order changed meanwhile; try again');
  }
  return cancelled;
}

/** Marks a confirmed order shipped, with its tracking, and writes `order.shipped.v1`. */
export async function shipOrder(
  db: Pool,
  orderId: string,
  shipment: { carrier: string; trackingNumber: string },
): Promise<StoredOrder> {
  await withTransaction(db, async (trx) => {
    const order = await selectOrder(trx, orderId, { forUpdate: true });
    if (!order) throw new OrdersError('not_found', `There is no order ${orderId}`);
    assertTransition(order.status, 'shipped');
    await updateOrderStatus(trx, orderId, { to: 'shipped', shipment });
    await addToOutbox(trx, {
      type: 'order.shipped.v1',
      subject: orderId,
      data: { orderId, userId: order.userId, email: order.email, ...shipment },
    });
  });
  return (await selectOrder(db, orderId)) as StoredOrder;
}
