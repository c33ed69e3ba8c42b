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
      // Events written before orders named the cart were all of signed-in users'.
      await store.markBought(order.cartId ?? `user:${order.userId}`, order.orderId);
    },
  };
}
