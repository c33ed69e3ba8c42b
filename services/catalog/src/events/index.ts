import type { EventHandlers } from '@bazaar/events/inbox';
import { recordAvailability } from '../store/availability-store.js';

/** The events catalog consumes: inventory's availability feeds the `inStock` filter. */
export const eventHandlers: EventHandlers = {
  'inventory.stock.availability.v1': async (trx, event) => {
    await recordAvailability(trx, event.data);
  },
};
