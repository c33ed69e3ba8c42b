import { busConfig } from '@bazaar/events/bus';
import { serviceMigrations } from '@bazaar/events/migrations';
import {
  baseConfig,
  httpUrlSetting,
  identityUrlConfig,
  parseConfig,
  portSetting,
  postgresUrlSetting,
  serviceClientConfig,
  tokenConfig,
} from '@bazaar/service-kit/config';
import { type Static, Type } from 'typebox';

const OrdersConfig = Type.Object({
  ...baseConfig,
  ...tokenConfig,
  ...identityUrlConfig,
  ...serviceClientConfig('orders'),
  PORT: portSetting(8085),
  DATABASE_URL: postgresUrlSetting(),
  ...busConfig,
  CART_URL: httpUrlSetting('http://127.0.0.1:8084'),
  CATALOG_URL: httpUrlSetting('http://127.0.0.1:8082'),
  INVENTORY_URL: httpUrlSetting('http://127.0.0.1:8083'),
  PAYMENTS_URL: httpUrlSetting('http://127.0.0.1:8086'),
  ORDER_SWEEP_INTERVAL_MS: Type.Integer({
    default: 5000,
    minimum: 100,
    description: 'milliseconds between sweeps for checkouts left pending (at least 100)',
  }),
  PENDING_GRACE_SECONDS: Type.Integer({
    default: 30,
    minimum: 1,
    description: 'seconds a checkout may stay pending before the sweeper recovers it',
  }),
});

export type OrdersConfig = Static<typeof OrdersConfig>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Readonly<OrdersConfig> {
  return parseConfig(OrdersConfig, env);
}

export const migrations = serviceMigrations(new URL('../', import.meta.url));
