import {
  baseConfig,
  httpUrlSetting,
  parseConfig,
  portSetting,
  postgresUrlSetting,
} from '@bazaar/service-kit/config';
import { type Static, Type } from 'typebox';

const CatalogConfig = Type.Object({
  ...baseConfig,
  PORT: portSetting(8082),
  DATABASE_URL: postgresUrlSetting(),
  IDENTITY_URL: httpUrlSetting('http://127.0.0.1:8081'),
  TOKEN_ISSUER: Type.String({
    default: 'bazaar-identity',
    minLength: 1,
    description: 'the iss claim of valid tokens',
  }),
  TOKEN_AUDIENCE: Type.String({
    default: 'bazaar',
    minLength: 1,
    description: 'the aud claim of access tokens',
  }),
  REDIS_URL: Type.Optional(
    Type.String({
      pattern: '^rediss?://[^\\s]+$',
      description: 'a redis:// URL, for a read cache shared by every catalog replica',
    }),
  ),
  READ_CACHE_TTL_SECONDS: Type.Integer({
    default: 60,
    minimum: 1,
    description: 'seconds a cached read lives at most (changes invalidate it at once)',
  }),
});

export type CatalogConfig = Static<typeof CatalogConfig>;

export function readConfig(): Readonly<CatalogConfig> {
  return parseConfig(CatalogConfig, process.env);
}

export const migrationsDirectory = new URL('../migrations/', import.meta.url);
