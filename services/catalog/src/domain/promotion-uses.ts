import { type Pool, withTransaction } from '@bazaar/db/pool';
import { runEvery } from '@bazaar/service-kit/periodic';
import type { FastifyBaseLogger } from 'fastify';
import {
  giveUseBack,
  insertUse,
  moveUse,
  selectCustomerUses,
  selectExpiredHolds,
  selectPromotion,
  selectUse,
  takeUse,
} from '../store/promotion-store.js';
import { normalCode } from './promotions.js';

/** A checkout's hold on a use of a code: like stock, taken all at once or not at all. */
export type HoldOutcome =
  | { held: true }
  | { held: false; reason: 'unknown' | 'used_up' | 'customer_limit' | 'released' };

/** Thrown inside the hold's transaction to undo its count when the customer is over the limit. */
class OverCustomerLimit extends Error {}

/**
 * Holds one use of `code` for `orderId` until `ttlSeconds` from now, or with `commit` counts it at
 * once, if the code's use limit and the customer's allow it. Holds of one code queue on its row, so
 * 50 checkouts racing for the last 10 uses get exactly 10. Holding again for the same order
 * answers what the first hold got.
 */
export async function holdPromotionUse(
  db: Pool,
  request: {
    orderId: string;
    code: string;
    customer: string;
    ttlSeconds: number;
    commit?: boolean | undefined;
  },
): Promise<HoldOutcome> {
  try {
    return await withTransaction(db, async (trx): Promise<HoldOutcome> => {
      const earlier = await selectUse(trx, request.orderId, { forUpdate: true });
      if (earlier) return earlier.status === 'released' ? notHeld('released') : { held: true };
      const promotion = await selectPromotion(trx, { code: normalCode(request.code) });
      if (!promotion) return notHeld('unknown');
      if (!(await takeUse(trx, promotion.id))) return notHeld('used_up');
      if (
        promotion.perCustomerLimit !== null &&
        (await selectCustomerUses(trx, promotion.id, request.customer)) >=
          promotion.perCustomerLimit
      ) {
        throw new OverCustomerLimit();
      }
      await insertUse(trx, {
        ...request,
        promotionId: promotion.id,
        status: request.commit ? 'committed' : 'held',
      });
      return { held: true };
    });
  } catch (error) {
    if (error instanceof OverCustomerLimit) return notHeld('customer_limit');
    // The same order held at the same moment by another request: that hold is this one's answer.
    if ((error as { constraint?: string }).constraint === 'promotion_uses_pkey') {
      const use = await selectUse(db, request.orderId);
      return use?.status === 'released' ? notHeld('released') : { held: true };
    }
    throw error;
  }
}

/** The order was placed: its use counts for good. False when the hold was released meanwhile. */
export async function commitPromotionUse(db: Pool, orderId: string): Promise<boolean> {
  if (await moveUse(db, orderId, ['held'], 'committed')) return true;
  return (await selectUse(db, orderId))?.status === 'committed';
}

/** The order failed or was cancelled: its use goes back to the code, once. */
export async function releasePromotionUse(db: Pool, orderId: string): Promise<void> {
  await withTransaction(db, async (trx) => {
    const use = await selectUse(trx, orderId, { forUpdate: true });
    if (!use || use.status === 'released') return;
    await moveUse(trx, orderId, ['held', 'committed'], 'released');
    await giveUseBack(trx, use.promotionId);
  });
}

/** Every `intervalMs`, releases holds their checkouts left past their time; returns a stop function. */
export function startPromotionSweeper(
  db: Pool,
  options: { intervalMs: number; log: FastifyBaseLogger },
): () => Promise<void> {
  return runEvery(
    options.intervalMs,
    async () => {
      for (const orderId of await selectExpiredHolds(db, 100)) {
        await releasePromotionUse(db, orderId);
        options.log.info({ orderId }, 'released an expired promotion hold');
      }
    },
    (error) => options.log.error({ err: error }, 'promotion sweep failed'),
  );
}

const notHeld = (reason: Extract<HoldOutcome, { held: false }>['reason']): HoldOutcome => ({
  held: false,
  reason,
});
