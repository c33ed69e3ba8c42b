import type { EventData } from '@bazaar/contracts/events';
import type { PoolClient } from '@bazaar/db/pool';
import type { CloudEvent } from '@bazaar/events/cloud-event';
import type { EventHandlers } from '@bazaar/events/inbox';
import { addHistory, claimGuestOrders, updateOrderStatus } from '../store/order-store.js';

type PaymentEvent =
  | EventData<'payment.authorized.v1'>
  | EventData<'payment.declined.v1'>
  | EventData<'payment.refunded.v1'>;

/** What payments announces joins the order's history, the audit trail of its money. */
const recordInHistory = async (trx: PoolClient, event: CloudEvent<PaymentEvent>) => {
  const { data } = event;
  await addHistory(trx, data.orderId, event.type, {
    paymentId: data.paymentId,
    amount: data.amount,
    ...('refundId' in data && data.refundId ? { refundId: data.refundId } : {}),
    ...('reason' in data && data.reason ? { reason: data.reason } : {}),
  });
};

/** The events orders consumes: payments' outcomes, and new accounts. */
export const eventHandlers: EventHandlers = {
  // The owner of an address opened an account (only a confirmed address does): the orders placed
  // as a guest with it are the account's from now on.
  'identity.user.registered.v1': async (trx, { data }) => {
    await claimGuestOrders(trx, data.userId, data.email);
  },
  'payment.authorized.v1': recordInHistory,
  'payment.declined.v1': recordInHistory,
  // All the money went back: a sold order is refunded, whoever refunded it (a cancel here, the
  // last of its returns, or the provider, by webhook). A cancel in progress finishes from there.
  // Part of it (a return's share): the order stays as it is.
  'payment.refunded.v1': async (trx, event) => {
    await recordInHistory(trx, event);
    const { orderId, remaining } = event.data;
    if (!remaining || remaining.amount === 0) {
      await updateOrderStatus(trx, orderId, { to: 'refunded' });
    }
  },
};
