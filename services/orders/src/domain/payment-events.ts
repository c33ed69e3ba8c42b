import type { EventData } from '@bazaar/contracts/events';
import type { EventHandler } from '@bazaar/events/inbox';
import { addHistory, orderExists, updateOrderStatus } from '../store/order-store.js';

type PaymentEvent = EventData<'payment.authorized.v1'> & { reason?: string };

/** What payments announces joins the order's history, the audit trail of its money. */
const recordInHistory: EventHandler = async (trx, event) => {
  const data = event.data as PaymentEvent;
  if (!(await orderExists(trx, data.orderId))) return;
  await addHistory(trx, data.orderId, event.type, {
    paymentId: data.paymentId,
    amount: data.amount,
    ...(data.reason ? { reason: data.reason } : {}),
  });
};

export const orderEventHandlers: Record<string, EventHandler> = {
  'payment.authorized.v1': recordInHistory,
  'payment.declined.v1': recordInHistory,
  // The money went back: a sold order is refunded, whoever refunded it (a cancel here, or the
  // provider, by webhook). A cancel in progress finishes from there.
  'payment.refunded.v1': async (trx, event) => {
    await recordInHistory(trx, event);
    const { orderId } = event.data as PaymentEvent;
    await updateOrderStatus(trx, orderId, { from: ['confirmed', 'shipped'], to: 'refunded' });
  },
};
