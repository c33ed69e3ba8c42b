import { busConfig } from '@bazaar/events/bus';
import { serviceMigrations } from '@bazaar/events/migrations';
import {
  baseConfig,
  identityUrlConfig,
  parseConfig,
  portSetting,
  postgresUrlSetting,
  redisUrlSetting,
  tokenConfig,
} from '@bazaar/service-kit/config';
import { type Static, Type } from 'typebox';

const CatalogConfig = Type.Object({
  ...baseConfig,
  ...tokenConfig,
  ...identityUrlConfig,
  PORT: portSetting(8082),
  DATABASE_URL: postgresUrlSetting(),
  ...busConfig,
  REDIS_URL: redisUrlSetting('for a read cache shared by every catalog replica'),
  LOCAL_READ_CACHE_TTL_MS: Type.Integer({
    default: 2000,
    minimum: 0,
    maximum: 60_000,
    description: 'milliseconds a read is cached in the process when there is no REDIS_URL (0: off)',
  }),
  READ_CACHE_TTL_SECONDS: Type.Integer({
    default: 60,
    minimum: 1,
    description: 'seconds a cached read lives at most (changes invalidate it at once)',
  }),
  PROMOTION_SWEEP_INTERVAL_MS: Type.Integer({
    default: 10_000,
    minimum: 100,
    description: 'milliseconds between releases of promotion holds their checkouts left to expire',
  }),
});

export type CatalogConfig = Static<typeof CatalogConfig>;

export function readConfig(): Readonly<CatalogConfig> {
  return parseConfig(CatalogConfig, process.env);
}

export const migrations = serviceMigrations(new URL('../', import.meta.url));
