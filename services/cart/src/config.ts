import { busConfig } from '@bazaar/events/bus';
import { serviceMigrations } from '@bazaar/events/migrations';
import {
  baseConfig,
  httpUrlSetting,
  identityUrlConfig,
  parseConfig,
  portSetting,
  postgresUrlSetting,
  redisUrlSetting,
  serviceClientConfig,
  tokenConfig,
} from '@bazaar/service-kit/config';
import { type Static, Type } from 'typebox';

const CartConfig = Type.Object({
  ...baseConfig,
  ...tokenConfig,
  ...identityUrlConfig,
  ...serviceClientConfig('cart'),
  PORT: portSetting(8084),
  DATABASE_URL: postgresUrlSetting(),
  ...busConfig,
  CATALOG_URL: httpUrlSetting('http://127.0.0.1:8082'),
  REDIS_URL: redisUrlSetting('where carts live (with a TTL) instead of PostgreSQL'),
  CART_TTL_DAYS: Type.Integer({
    default: 30,
    minimum: 1,
    maximum: 365,
    description: 'days a cart is kept after its last change (1-365)',
  }),
});

export type CartConfig = Static<typeof CartConfig>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Readonly<CartConfig> {
  return parseConfig(CartConfig, env);
}

export const migrations = serviceMigrations(new URL('../', import.meta.url));
