import { runEvery } from '@bazaar/service-kit/periodic';
import type { FastifyBaseLogger } from 'fastify';
import { selectOrder } from '../store/order-store.js';
import { claimStale } from '../store/stale-rows.js';
import { runOrderSaga, type SagaDeps } from './order-saga.js';
import { settleReturn } from './returns.js';

/**
 * Recovers one order a crash (or a partition) left pending: its saga resumes at the payment, by
 * what payments has of it (the cart and the stock were claimed, or undoing them changes nothing).
 */
export async function recoverOrder(deps: SagaDeps, orderId: string) {
  const order = await selectOrder(deps.db, orderId);
  if (order?.status !== 'pending') return order;
  return runOrderSaga({ ...deps, order }, 'take payment');
}

/**
 * Every `intervalMs`, recovers orders pending for longer than `graceSeconds`, and refunds the
 * returns received as long ago and not refunded yet; returns a stop function.
 */
export function startOrderSweeper(
  deps: SagaDeps,
  options: {
    intervalMs: number;
    graceSeconds: number;
    log: FastifyBaseLogger;
    onRecovered: (status: string) => void;
  },
): () => Promise<void> {
  return runEvery(
    options.intervalMs,
    async () => {
      for (const orderId of await claimStale(deps.db, 'orders', options.graceSeconds, 20)) {
        try {
          const order = await recoverOrder(deps, orderId);
          if (order) options.onRecovered(order.status);
          options.log.info({ orderId, status: order?.status }, 'recovered an interrupted checkout');
        } catch (error) {
          // A service is away: the order stays pending and the next sweep tries again.
          options.log.warn(
            { err: error, orderId },
            'could not recover an interrupted checkout yet',
          );
        }
      }
      for (const returnId of await claimStale(deps.db, 'returns', options.graceSeconds, 20)) {
        try {
          await settleReturn(deps, returnId);
          options.log.info({ returnId }, 'refunded an interrupted return');
        } catch (error) {
          options.log.warn({ err: error, returnId }, 'could not refund an interrupted return yet');
        }
      }
    },
    (error) => options.log.error({ err: error }, 'order sweep failed'),
  );
}
