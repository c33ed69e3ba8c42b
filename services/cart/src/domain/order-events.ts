import type { EventData } from '@bazaar/contracts/events';
import type { EventHandler } from '@bazaar/events/inbox';
import type { CartStore } from './cart.js';

/**
 * A confirmed order has bought the lines its checkout took out of the buyer's cart: they never
 * come back. Marking them bought is idempotent, so a redelivery changes nothing even where the
 * cart lives outside the inbox's transaction (Redis).
 */
export function cartEventHandlers(store: CartStore): Record<string, EventHandler> {
  return {
    'order.confirmed.v1': async (_trx, event) => {
      const order = event.data as EventData<'order.confirmed.v1'>;
      await store.markBought({ kind: 'user', userId: order.userId }, order.orderId);
    },
  };
}
