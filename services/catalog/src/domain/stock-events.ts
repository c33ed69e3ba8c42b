import type { EventData } from '@bazaar/contracts/events';
import type { EventHandler } from '@bazaar/events/inbox';
import { recordAvailability } from '../store/availability-store.js';

/** The events catalog consumes: inventory's availability feeds the `inStock` filter. */
export const catalogEventHandlers: Record<string, EventHandler> = {
  'inventory.stock.availability.v1': async (trx, event) => {
    await recordAvailability(trx, event.data as EventData<'inventory.stock.availability.v1'>);
  },
};
