import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ShopClient } from '@bazaar/testing/shop-client';

export type SteadyCheckouts = {
  /** Checkouts answered 201 confirmed so far. */
  confirmed: () => number;
  /** Stops the buyers and tells what they were answered. */
  stop: () => Promise<CheckoutTally>;
};

export type CheckoutTally = {
  /** Orders the shop answered 201 confirmed: the ledger must find every one confirmed. */
  accepted: string[];
  /** Orders the shop answered with a refusal (402, 409): none may end confirmed. */
  refused: string[];
  /** Confirmed orders one of whose two units the buyer then cancelled (answered or not). */
  partlyCancelled: string[];
  /** Units each buyer (by user id) asked to put into the cart, answered or not. */
  unitsPutInCarts: Map<string, number>;
  /** What putting the item into the cart was answered, by status (`error`: no answer). */
  cartAnswers: Record<string, number>;
  /**
   * Answers by status (`error` when no answer came at all); an error answer that is not an RFC
   * 9457 problem counts as `<status> unexplained`.
   */
  statuses: Record<string, number>;
  /**
   * Error answers by status and problem code (`409 checkout_in_progress`), a 5xx with its detail;
   * refused cart adds as `cart <status> <code>` (or the start of a body that is no problem).
   */
  problems: Record<string, number>;
  /** The longest a checkout waited for its answer, in milliseconds. */
  slowestMs: number;
  /** Every checkout answered: when it was asked (epoch milliseconds) and how long it took. */
  checkouts: { askedAt: number; ms: number }[];
};

/**
 * Buyers checking out one item each, again and again, until stopped: the steady load a fault
 * lands in; with `promotionCode`, each applies the code before paying; with `cancelOneOfTwo`,
 * each buys two units and, once confirmed, cancels one of them (a refund in part, and a unit back
 * on the shelf). A buyer whose answer did not come (a service was killed) just goes on.
 */
export function startSteadyCheckouts(
  client: ShopClient,
  buyers: readonly string[],
  skus: readonly string[],
  options: { promotionCode?: string; cancelOneOfTwo?: boolean } = {},
): SteadyCheckouts {
  const quantity = options.cancelOneOfTwo ? 2 : 1;
  let running = true;
  const tally: CheckoutTally = {
    accepted: [],
    refused: [],
    partlyCancelled: [],
    unitsPutInCarts: new Map(),
    cartAnswers: {},
    statuses: {},
    problems: {},
    slowestMs: 0,
    checkouts: [],
  };
  const count = (status: string, answers = tally.statuses) => {
    answers[status] = (answers[status] ?? 0) + 1;
  };
  const loops = buyers.map(async (token, index) => {
    const userId = subjectOf(token);
    for (let turn = 0; running; turn += 1) {
      const sku = skus[(index + turn) % skus.length] as string;
      try {
        tally.unitsPutInCarts.set(userId, (tally.unitsPutInCarts.get(userId) ?? 0) + quantity);
        const added = await client
          .call('POST', '/api/cart/items', { bearer: token, body: { sku, quantity } })
          .catch(() => undefined);
        const put = added ? String(added.status) : 'error';
        count(put, tally.cartAnswers);
        // Which hop refused it: the gateway's problem names its code, a proxy's page its server.
        if (added && added.status >= 400) count(`cart ${put} ${explained(added)}`, tally.problems);
        // A shopper whose item did not go into the cart tries again rather than check out.
        if (!put.startsWith('2')) {
          await sleep(200);
          continue;
        }
        // A code that could not be applied (a service away) is bought without: that is a sale too.
        if (options.promotionCode) {
          await client
            .call('POST', '/api/cart/promotions', {
              bearer: token,
              body: { code: options.promotionCode },
            })
            .catch(() => undefined);
        }
        const asked = Date.now();
        const answer = await client.checkout(token, randomUUID());
        const ms = Date.now() - asked;
        tally.slowestMs = Math.max(tally.slowestMs, ms);
        tally.checkouts.push({ askedAt: asked, ms });
        const problem = answer.headers.get('content-type')?.startsWith('application/problem+json');
        count(
          answer.status < 400 || problem ? String(answer.status) : `${answer.status} unexplained`,
        );
        if (problem) count(`${answer.status} ${explained(answer)}`, tally.problems);
        if (answer.status === 201 && answer.body.status === 'confirmed') {
          tally.accepted.push(answer.body.id);
          if (options.cancelOneOfTwo) {
            tally.partlyCancelled.push(answer.body.id);
            await client
              .call('POST', `/api/orders/${answer.body.id}/cancel-lines`, {
                bearer: token,
                body: { lines: [{ sku, quantity: 1 }] },
              })
              .catch(() => undefined);
          }
        }
        if ((answer.status === 402 || answer.status === 409) && answer.body.orderId) {
          tally.refused.push(answer.body.orderId);
        }
      } catch {
        count('error');
      }
    }
  });
  return {
    confirmed: () => tally.accepted.length,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return tally;
    },
  };
}

/** The user id an access token was issued to (its `sub`), read without verifying it. */
export function subjectOf(token: string): string {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString()).sub;
}

/**
 * A refusal's problem code and, for a 5xx (whose code is generic), the detail that says which part
 * of the shop failed; or the start of an answer that is no problem (a proxy's page).
 */
function explained(answer: { status: number; body: unknown }): string {
  const body = answer.body as { code?: string; detail?: string } | string | undefined;
  if (typeof body === 'object' && body?.code) {
    return answer.status >= 500 && body.detail ? `${body.code}: ${body.detail}` : body.code;
  }
  return `unexplained: ${String(body ?? '').slice(0, 80)}`;
}
