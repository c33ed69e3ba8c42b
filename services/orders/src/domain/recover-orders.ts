import type { Pool } from '@bazaar/db/pool';
import { runEvery } from '@bazaar/service-kit/periodic';
import type { FastifyBaseLogger } from 'fastify';
import { claimStalePending, selectOrder } from '../store/order-store.js';
import type { Neighbours } from './ports.js';
import { completeOrder, failOrder } from './settle-order.js';

/**
 * Settles one order a crash (or a partition) left pending, by what payments knows of it: a payment
 * held or taken finishes the order; none (or a declined or released one) ends it and frees the
 * stock, and payments takes none for it afterwards, though an authorization held up on the way may
 * still arrive. Nothing is charged that the shopper did not see authorized.
 */
export async function recoverOrder(db: Pool, services: Neighbours, orderId: string) {
  const order = await selectOrder(db, orderId);
  if (order?.status !== 'pending') return order;
  const payment = await services.closePayment(orderId);
  if (payment?.status === 'authorized' || payment?.status === 'captured') {
    return completeOrder(db, services, order, payment);
  }
  return failOrder(db, services, order, 'payment_failed', {
    code: payment?.status === 'declined' ? 'card_declined' : 'checkout_interrupted',
    detail:
      payment?.status === 'declined'
        ? 'The card was declined'
        : 'The checkout was interrupted before payment; nothing was charged',
  });
}

/** Every `intervalMs`, settles orders pending for longer than `graceSeconds`; returns a stop function. */
export function startOrderSweeper(
  db: Pool,
  services: Neighbours,
  options: {
    intervalMs: number;
    graceSeconds: number;
    log: FastifyBaseLogger;
    onSettled: (status: string) => void;
  },
): () => Promise<void> {
  return runEvery(
    options.intervalMs,
    async () => {
      for (const orderId of await claimStalePending(db, options.graceSeconds, 20)) {
        try {
          const order = await recoverOrder(db, services, orderId);
          if (order) options.onSettled(order.status);
          options.log.info({ orderId, status: order?.status }, 'settled an interrupted checkout');
        } catch (error) {
          // A service is away: the order stays pending and the next sweep tries again.
          options.log.warn({ err: error, orderId }, 'could not settle an interrupted checkout yet');
        }
      }
    },
    (error) => options.log.error({ err: error }, 'order sweep failed'),
  );
}
