import { busConfig } from '@bazaar/events/bus';
import { serviceMigrations } from '@bazaar/events/migrations';
import {
  baseConfig,
  devOnlyDefault,
  httpUrlSetting,
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
  IMAGE_STORE: devOnlyDefault(
    Type.String({
      default: 'file:.data/images',
      pattern: '^(s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]|file:[^\\s]+)$',
      description:
        'where product images are kept: s3://<bucket>, or file:<directory> on a laptop (dev-only default file:.data/images)',
    }),
  ),
  IMAGE_S3_REGION: Type.String({
    default: 'us-east-1',
    pattern: '^[a-z0-9-]+$',
    description: "the bucket's AWS region",
  }),
  IMAGE_S3_ENDPOINT: Type.Optional(
    httpUrlSetting(
      undefined,
      'an S3-compatible server to use instead of AWS (http:// or https://)',
    ),
  ),
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
