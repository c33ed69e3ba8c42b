import { busConfig } from '@bazaar/events/bus';
import {
  baseConfig,
  parseConfig,
  portSetting,
  postgresUrlSetting,
} from '@bazaar/service-kit/config';
import { type Static, Type } from 'typebox';
import { embeddedServerUrl } from './embedded-postgres.js';

const LauncherConfig = Type.Object({
  LOG_LEVEL: baseConfig.LOG_LEVEL,
  DATABASE_URL: Type.Optional(postgresUrlSetting()),
  NATS_URL: busConfig.NATS_URL,
  BAZAAR_DATA_DIR: Type.String({
    default: '.data',
    minLength: 1,
    description: 'a directory for the embedded PostgreSQL data (relative to the project root)',
  }),
  BAZAAR_PG_PORT: portSetting(54329),
  BAZAAR_PORT_BASE: Type.Integer({
    default: 8080,
    minimum: 1024,
    maximum: 65000,
    description: 'the first of the ports the services listen on (1024-65000)',
  }),
  BAZAAR_DB_PREFIX: Type.String({
    default: 'bazaar_',
    pattern: '^[a-z_][a-z0-9_]{0,30}$',
    description: 'a lower-case prefix for the per-service database names',
  }),
  BAZAAR_READY_TIMEOUT_MS: Type.Integer({
    default: 60_000,
    minimum: 1000,
    description: 'milliseconds to wait for every service to be ready (at least 1000)',
  }),
});

export type LauncherConfig = Static<typeof LauncherConfig>;

export function readConfig(): Readonly<LauncherConfig> {
  return parseConfig(LauncherConfig, process.env);
}

/** The server the shop's databases live on: DATABASE_URL, else the embedded one. */
export function serverUrlOf(config: LauncherConfig): string {
  return config.DATABASE_URL ?? embeddedServerUrl(config.BAZAAR_PG_PORT);
}

/** Where the embedded PostgreSQL keeps its data: `postgres` in BAZAAR_DATA_DIR, from `root`. */
export function embeddedDataDirOf(config: LauncherConfig, root: URL): string {
  return new URL(`${config.BAZAAR_DATA_DIR.replace(/\/$/, '')}/postgres`, root).pathname;
}

/** The database of a service, or `bus` for the event log. */
export function databaseNameOf(config: LauncherConfig, name: string): string {
  return `${config.BAZAAR_DB_PREFIX}${name}`;
}
