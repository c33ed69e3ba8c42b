import type { EventHandlers } from '@bazaar/events/inbox';
import type { CartStore } from '../domain/cart.js';

/**
 * A confirmed order has bought the lines its checkout took out of the buyer's cart: they never
 * come back. Marking them bought is idempotent, so a redelivery changes nothing even where the
 * cart lives outside the inbox's transaction (Redis).
 */
export function eventHandlers(store: CartStore): EventHandlers {
  return {
    'order.confirmed.v1': async (_trx, { data: order }) => {
      await store.markBought({ kind: 'user', userId: order.userId }, order.orderId);
    },
  };
}
