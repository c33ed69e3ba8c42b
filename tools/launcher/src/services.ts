import { seedCatalog } from '@bazaar/catalog/seed';
import type { Pool } from '@bazaar/db/pool';
import { seedStock } from '@bazaar/inventory/seed';

/** What a service's settings may refer to: the others' URLs, and the service credentials of this run. */
export type Shop = {
  urlOf: (service: string) => string;
  /** Client secret per calling service, made fresh for each start. */
  clientSecrets: Readonly<Record<string, string>>;
};

export type ServiceSpec = {
  name: string;
  /** Added to BAZAAR_PORT_BASE; the defaults give the ports of the architecture (8080, 8082…). */
  portOffset: number;
  database?: { seed?: (pool: Pool) => Promise<unknown> };
  /** Settings that point this service at the others. */
  env?: (shop: Shop) => Record<string, string>;
};

/** Services reached only through the gateway believe the client address it forwards. */
const behindGateway = { TRUST_PROXY_HOPS: '1' };

/** The services that call others' /internal routes, and so hold credentials at identity. */
export const serviceClients = ['cart', 'orders'] as const;

const credentials = (shop: Shop, name: (typeof serviceClients)[number]) => ({
  SERVICE_CLIENT_ID: name,
  SERVICE_CLIENT_SECRET: shop.clientSecrets[name] ?? '',
});

/**
 * Identity's argon2 hashes take 19 MiB each; glibc raises its threshold for mapping a block of its
 * own past the size of a freed one, so from the second hash on the buffers came from the heap and
 * stayed resident (identity idle 99-103 MB). A fixed threshold returns each to the system when
 * freed: idle 83 MB. Only identity: for every service it cost a third more CPU a checkout (each
 * large buffer mapped and unmapped), and identity is off the checkout's path. The compose file and
 * the Kubernetes Deployment give identity the same.
 */
export const identityMemory = { MALLOC_MMAP_THRESHOLD_: '131072' };

/** Every service the shop runs, in start order. */
export const services: readonly ServiceSpec[] = [
  {
    name: 'identity',
    portOffset: 1,
    database: {},
    env: (shop) => ({
      ...behindGateway,
      ...identityMemory,
      SERVICE_CLIENTS: Object.entries(shop.clientSecrets)
        .map(([client, secret]) => `${client}:${secret}`)
        .join(','),
    }),
  },
  {
    name: 'catalog',
    portOffset: 2,
    database: { seed: seedCatalog },
    env: (shop) => ({ ...behindGateway, IDENTITY_URL: shop.urlOf('identity') }),
  },
  {
    name: 'inventory',
    portOffset: 3,
    database: { seed: seedStock },
    env: (shop) => ({ ...behindGateway, IDENTITY_URL: shop.urlOf('identity') }),
  },
  {
    name: 'payments',
    portOffset: 6,
    database: {},
    env: (shop) => ({ ...behindGateway, IDENTITY_URL: shop.urlOf('identity') }),
  },
  {
    name: 'cart',
    portOffset: 4,
    database: {},
    env: (shop) => ({
      ...behindGateway,
      ...credentials(shop, 'cart'),
      IDENTITY_URL: shop.urlOf('identity'),
      CATALOG_URL: shop.urlOf('catalog'),
    }),
  },
  {
    name: 'orders',
    portOffset: 5,
    database: {},
    env: (shop) => ({
      ...behindGateway,
      ...credentials(shop, 'orders'),
      IDENTITY_URL: shop.urlOf('identity'),
      CART_URL: shop.urlOf('cart'),
      CATALOG_URL: shop.urlOf('catalog'),
      INVENTORY_URL: shop.urlOf('inventory'),
      PAYMENTS_URL: shop.urlOf('payments'),
    }),
  },
  {
    name: 'notifications',
    portOffset: 7,
    database: {},
    env: (shop) => ({
      ...behindGateway,
      IDENTITY_URL: shop.urlOf('identity'),
      // Webhooks to receivers on this machine (dev-only: refused with NODE_ENV=production).
      WEBHOOK_ALLOW_INTERNAL_TARGETS: 'true',
    }),
  },
  {
    name: 'gateway',
    portOffset: 0,
    env: (shop) => ({
      IDENTITY_URL: shop.urlOf('identity'),
      CATALOG_URL: shop.urlOf('catalog'),
      INVENTORY_URL: shop.urlOf('inventory'),
      CART_URL: shop.urlOf('cart'),
      ORDERS_URL: shop.urlOf('orders'),
      PAYMENTS_URL: shop.urlOf('payments'),
      NOTIFICATIONS_URL: shop.urlOf('notifications'),
    }),
  },
];
