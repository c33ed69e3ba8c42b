import type { EventData } from '@bazaar/contracts/events';
import type { EventHandler } from '@bazaar/events/inbox';
import type { CartStore } from './cart.js';

/**
 * A confirmed order takes its lines out of the buyer's cart. Lines added since checkout began stay.
 * The cart store may be Redis, outside the inbox's transaction; removing lines twice is harmless,
 * so a redelivery after a failed commit changes nothing more.
 */
export function cartEventHandlers(store: CartStore): Record<string, EventHandler> {
  return {
    'order.confirmed.v1': async (_trx, event) => {
      const order = event.data as EventData<'order.confirmed.v1'>;
      await store.remove(
        { kind: 'user', userId: order.userId },
        order.lines.map((line) => line.sku),
      );
    },
  };
}
