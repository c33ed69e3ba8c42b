import { seedCatalog } from '@bazaar/catalog/seed';
import type { Pool } from '@bazaar/db/pool';

export type ServiceSpec = {
  name: string;
  /** Added to BAZAAR_PORT_BASE; the defaults give the ports of the architecture (8080, 8082…). */
  portOffset: number;
  database?: { seed?: (pool: Pool) => Promise<unknown> };
  /** Settings that point this service at the others. */
  env?: (urlOf: (service: string) => string) => Record<string, string>;
};

/** Every service the shop runs, in start order. */
export const services: readonly ServiceSpec[] = [
  { name: 'catalog', portOffset: 2, database: { seed: seedCatalog } },
  {
    name: 'gateway',
    portOffset: 0,
    env: (urlOf) => ({ CATALOG_URL: urlOf('catalog') }),
  },
];
