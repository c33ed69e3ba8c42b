import {
  baseConfig,
  httpUrlSetting,
  identityUrlConfig,
  parseConfig,
  portSetting,
  redisUrlSetting,
  tokenConfig,
} from '@bazaar/service-kit/config';
import { type Static, Type } from 'typebox';

const GatewayConfig = Type.Object({
  ...baseConfig,
  ...tokenConfig,
  ...identityUrlConfig,
  PORT: portSetting(8080),
  CATALOG_URL: httpUrlSetting('http://127.0.0.1:8082'),
  INVENTORY_URL: httpUrlSetting('http://127.0.0.1:8083'),
  CART_URL: httpUrlSetting('http://127.0.0.1:8084'),
  ORDERS_URL: httpUrlSetting('http://127.0.0.1:8085'),
  PAYMENTS_URL: httpUrlSetting('http://127.0.0.1:8086'),
  NOTIFICATIONS_URL: httpUrlSetting('http://127.0.0.1:8087'),
  STOREFRONT_DIR: Type.String({
    default: new URL('../../../web/storefront/dist/', import.meta.url).pathname,
    minLength: 1,
    description: 'the built storefront (index.html and assets/) that the gateway serves at /',
  }),
  UPSTREAM_TIMEOUT_MS: Type.Integer({
    default: 10_000,
    minimum: 100,
    description: 'milliseconds to wait for an upstream service (at least 100)',
  }),
  ADMIN_BODY_LIMIT_BYTES: Type.Integer({
    default: 16_777_216,
    minimum: 1024,
    description: "an admin's request body limit in bytes, for images and CSV files (at least 1024)",
  }),
  REDIS_URL: redisUrlSetting('for rate-limit counters shared by every gateway replica'),
  RATE_LIMIT_PER_MINUTE: Type.Integer({
    default: 600,
    minimum: 1,
    description: 'requests a client (a signed-in user, else an address) may make per minute',
  }),
  CORS_ORIGINS: Type.String({
    default: '',
    pattern: '^(https?://[^\\s,]+)?(,https?://[^\\s,]+)*$',
    description: 'comma-separated origins allowed to call the API from a browser (empty: none)',
  }),
});

export type GatewayConfig = Static<typeof GatewayConfig>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Readonly<GatewayConfig> {
  return parseConfig(GatewayConfig, env);
}
