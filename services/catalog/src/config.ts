import {
  baseConfig,
  parseConfig,
  portSetting,
  postgresUrlSetting,
} from '@bazaar/service-kit/config';
import { type Static, Type } from 'typebox';

const CatalogConfig = Type.Object({
  ...baseConfig,
  PORT: portSetting(8082),
  DATABASE_URL: postgresUrlSetting(),
});

export type CatalogConfig = Static<typeof CatalogConfig>;

export function readConfig(): Readonly<CatalogConfig> {
  return parseConfig(CatalogConfig, process.env);
}

export const migrationsDirectory = new URL('../migrations/', import.meta.url);
