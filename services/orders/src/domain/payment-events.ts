import type { EventData } from '@bazaar/contracts/events';
import type { EventHandler } from '@bazaar/events/inbox';
import { addHistory } from '../store/order-store.js';

type PaymentEvent = EventData<'payment.authorized.v1'> & { reason?: string };

/** What payments announces joins the order's history, the audit trail of its money. */
const recordInHistory: EventHandler = async (trx, event) => {
  const data = event.data as PaymentEvent;
  const { rows } = await trx.query('SELECT 1 FROM orders WHERE id = $1', [data.orderId]);
  if (rows.length === 0) return;
  await addHistory(trx, data.orderId, event.type, {
    paymentId: data.paymentId,
    amount: data.amount,
    ...(data.reason ? { reason: data.reason } : {}),
  });
};

export const orderEventHandlers: Record<string, EventHandler> = {
  'payment.authorized.v1': recordInHistory,
  'payment.declined.v1': recordInHistory,
  'payment.refunded.v1': recordInHistory,
};
