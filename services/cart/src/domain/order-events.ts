import type { EventData } from '@bazaar/contracts/events';
import type { EventHandler } from '@bazaar/events/inbox';
import type { CartStore } from './cart.js';

/**
 * A confirmed order takes the quantities it bought out of the buyer's cart; units added since the
 * checkout stay. The store remembers the event id with the cart (Redis or PostgreSQL), so a
 * redelivery takes nothing more even where the cart lives outside the inbox's transaction.
 */
export function cartEventHandlers(store: CartStore): Record<string, EventHandler> {
  return {
    'order.confirmed.v1': async (_trx, event) => {
      const order = event.data as EventData<'order.confirmed.v1'>;
      await store.subtract(
        { kind: 'user', userId: order.userId },
        order.lines.map(({ sku, quantity }) => ({ sku, quantity })),
        event.id,
      );
    },
  };
}
