import { randomUUID } from 'node:crypto';
import type { ShopClient } from '@bazaar/testing/shop-client';

export type SteadyCheckouts = {
  /** Stops the buyers and tells what they were answered. */
  stop: () => Promise<CheckoutTally>;
};

export type CheckoutTally = {
  /** Orders the shop answered 201 confirmed: the ledger must find every one confirmed. */
  accepted: string[];
  /** Answers by status (`error` when no answer came at all). */
  statuses: Record<string, number>;
};

/**
 * Buyers checking out one item each, again and again, until stopped: the steady load a fault
 * lands in. A buyer whose answer did not come (a service was killed) just goes on.
 */
export function startSteadyCheckouts(
  client: ShopClient,
  buyers: readonly string[],
  skus: readonly string[],
): SteadyCheckouts {
  let running = true;
  const tally: CheckoutTally = { accepted: [], statuses: {} };
  const count = (status: string) => {
    tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
  };
  const loops = buyers.map(async (token, index) => {
    for (let turn = 0; running; turn += 1) {
      const sku = skus[(index + turn) % skus.length] as string;
      try {
        await client.call('POST', '/api/cart/items', { bearer: token, body: { sku, quantity: 1 } });
        const answer = await client.checkout(token, randomUUID());
        count(String(answer.status));
        if (answer.status === 201 && answer.body.status === 'confirmed') {
          tally.accepted.push(answer.body.id);
        }
      } catch {
        count('error');
      }
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return tally;
    },
  };
}
