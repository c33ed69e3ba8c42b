import { seedCatalog } from '@bazaar/catalog/seed';
import type { Pool } from '@bazaar/db/pool';
import { seedStock } from '@bazaar/inventory/seed';

export type ServiceSpec = {
  name: string;
  /** Added to BAZAAR_PORT_BASE; the defaults give the ports of the architecture (8080, 8082…). */
  portOffset: number;
  database?: { seed?: (pool: Pool) => Promise<unknown> };
  /** Settings that point this service at the others. */
  env?: (urlOf: (service: string) => string) => Record<string, string>;
};

/** Services reached only through the gateway believe the client address it forwards. */
const behindGateway = { TRUST_PROXY_HOPS: '1' };

/** Every service the shop runs, in start order. */
export const services: readonly ServiceSpec[] = [
  { name: 'identity', portOffset: 1, database: {}, env: () => behindGateway },
  { name: 'catalog', portOffset: 2, database: { seed: seedCatalog }, env: () => behindGateway },
  {
    name: 'inventory',
    portOffset: 3,
    database: { seed: seedStock },
    env: (urlOf) => ({ ...behindGateway, IDENTITY_URL: urlOf('identity') }),
  },
  {
    name: 'gateway',
    portOffset: 0,
    env: (urlOf) => ({
      IDENTITY_URL: urlOf('identity'),
      CATALOG_URL: urlOf('catalog'),
      INVENTORY_URL: urlOf('inventory'),
    }),
  },
];
