import { busConfig } from '@bazaar/events/bus';
import { serviceMigrations } from '@bazaar/events/migrations';
import {
  baseConfig,
  identityUrlConfig,
  parseConfig,
  portSetting,
  postgresUrlSetting,
  tokenConfig,
} from '@bazaar/service-kit/config';
import { type Static, Type } from 'typebox';

const InventoryConfig = Type.Object({
  ...baseConfig,
  ...tokenConfig,
  ...identityUrlConfig,
  PORT: portSetting(8083),
  DATABASE_URL: postgresUrlSetting(),
  ...busConfig,
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

export const migrations = serviceMigrations(new URL('../', import.meta.url));
