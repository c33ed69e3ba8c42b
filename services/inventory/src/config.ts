import {
  baseConfig,
  httpUrlSetting,
  parseConfig,
  portSetting,
  postgresUrlSetting,
} from '@bazaar/service-kit/config';
import { type Static, Type } from 'typebox';

const InventoryConfig = Type.Object({
  ...baseConfig,
  PORT: portSetting(8083),
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
  SERVICE_TOKEN_AUDIENCE: Type.String({
    default: 'bazaar-internal',
    minLength: 1,
    description: 'the aud claim of service tokens',
  }),
  RESERVATION_SWEEP_INTERVAL_MS: Type.Integer({
    default: 5000,
    minimum: 100,
    description: 'milliseconds between sweeps that release expired reservations (at least 100)',
  }),
});

export type InventoryConfig = Static<typeof InventoryConfig>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Readonly<InventoryConfig> {
  return parseConfig(InventoryConfig, env);
}

export const migrationsDirectory = new URL('../migrations/', import.meta.url);
