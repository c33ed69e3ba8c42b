import type { ServiceClient } from '@bazaar/service-kit/service-client';
import type { Neighbours } from '../domain/ports.js';
import { cartClient } from './cart.js';
import { catalogClient } from './catalog.js';
import { inventoryClient } from './inventory.js';
import { paymentsClient } from './payments.js';

/** The neighbours checkout needs, each reached over HTTP through its service client. */
export function neighbours(clients: {
  cart: ServiceClient;
  catalog: ServiceClient;
  inventory: ServiceClient;
  payments: ServiceClient;
}): Neighbours {
  return {
    ...cartClient(clients.cart),
    ...catalogClient(clients.catalog),
    ...inventoryClient(clients.inventory),
    ...paymentsClient(clients.payments),
  };
}
