import { parseArgs } from 'node:util';
import { ensureMonitoringRole, ensureServiceRole } from '@bazaar/db/server-admin';
import { busConfig } from '@bazaar/events/bus';
import { parseConfig, postgresUrlSetting } from '@bazaar/service-kit/config';
import { Type } from 'typebox';
import { prepareDatabase } from '../databases.js';
import { services } from '../services.js';

/**
 * The one-shot migration step of a deployment (the compose `migrate` service, the Kubernetes Job of
 * each release): creates every service's database on the server in DATABASE_URL if missing, and the
 * `bus` database unless events travel on NATS, then applies their migrations. `--seed` also loads
 * the demo catalog and stock, as `npm start` does. Given a service's own URL (`ORDERS_DATABASE_URL`,
 * the DATABASE_URL that service is given), it also makes that URL's role, which may read and write
 * that service's database only; DATABASE_URL is then the owner's, used by migrations alone. Given
 * MONITORING_DATABASE_URL, it makes that URL's role for the PostgreSQL exporter (`pg_monitor`).
 */
const { values } = parseArgs({ options: { seed: { type: 'boolean', default: false } } });
// This file runs as tools/launcher/dist/commands/migrate.js: the checkout (or image) is 4 levels up.
const root = new URL('../../../../', import.meta.url);
const say = (line: string) => process.stdout.write(`migrate: ${line}\n`);
const owned = services.filter((spec) => spec.database).map((spec) => spec.name);
const serviceUrlSetting = (name: string) => `${name.toUpperCase()}_DATABASE_URL`;

try {
  const config = parseConfig(
    Type.Object({
      DATABASE_URL: postgresUrlSetting(),
      BAZAAR_DB_PREFIX: Type.String({
        default: 'bazaar_',
        pattern: '^[a-z_][a-z0-9_]{0,30}$',
        description: 'a lower-case prefix for the per-service database names',
      }),
      NATS_URL: busConfig.NATS_URL,
      MONITORING_DATABASE_URL: Type.Optional(postgresUrlSetting()),
      ...Object.fromEntries(
        owned.map((name) => [serviceUrlSetting(name), Type.Optional(postgresUrlSetting())]),
      ),
    }),
    process.env,
  );
  const common = {
    root,
    serverUrl: config.DATABASE_URL,
    prefix: config.BAZAAR_DB_PREFIX,
    log: say,
  };
  const names = [...owned, ...(config.NATS_URL ? [] : ['bus'])];
  for (const name of names) {
    const seed = values.seed
      ? services.find((spec) => spec.name === name)?.database?.seed
      : undefined;
    await prepareDatabase({ ...common, name, seed });
  }
  say(`${names.length} databases up to date`);
  const serviceUrls = config as Readonly<Record<string, string | undefined>>;
  const roles = owned.filter((name) => serviceUrls[serviceUrlSetting(name)]);
  for (const name of roles) {
    const setting = serviceUrlSetting(name);
    const url = new URL(serviceUrls[setting] as string);
    const expected = `${config.BAZAAR_DB_PREFIX}${name}`;
    if (url.pathname !== `/${expected}`) {
      throw new Error(`${setting}: names database ${url.pathname.slice(1)}, expected ${expected}`);
    }
    await ensureServiceRole(config.DATABASE_URL, url.toString());
  }
  if (roles.length > 0) say(`${roles.length} service roles, each on its own database only`);
  if (config.MONITORING_DATABASE_URL) {
    await ensureMonitoringRole(config.DATABASE_URL, config.MONITORING_DATABASE_URL);
    say('the monitoring role, which reads sessions and settings only');
  }
} catch (error) {
  process.stderr.write(`migrate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
