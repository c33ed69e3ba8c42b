import { parseArgs } from 'node:util';
import { busConfig } from '@bazaar/events/bus';
import { parseConfig, postgresUrlSetting } from '@bazaar/service-kit/config';
import { Type } from 'typebox';
import { prepareDatabase } from '../databases.js';
import { services } from '../services.js';

/**
 * The one-shot migration step of a deployment (the compose `migrate` service, the Kubernetes Job of
 * each release): creates every service's database on the server in DATABASE_URL if missing, and the
 * `bus` database unless events travel on NATS, then applies their migrations. `--seed` also loads
 * the demo catalog and stock, as `npm start` does.
 */
const { values } = parseArgs({ options: { seed: { type: 'boolean', default: false } } });
// This file runs as tools/launcher/dist/commands/migrate.js: the checkout (or image) is 4 levels up.
const root = new URL('../../../../', import.meta.url);
const say = (line: string) => process.stdout.write(`migrate: ${line}\n`);

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
    }),
    process.env,
  );
  const common = {
    root,
    serverUrl: config.DATABASE_URL,
    prefix: config.BAZAAR_DB_PREFIX,
    log: say,
  };
  const names = [
    ...services.filter((spec) => spec.database).map((spec) => spec.name),
    ...(config.NATS_URL ? [] : ['bus']),
  ];
  for (const name of names) {
    const seed = values.seed
      ? services.find((spec) => spec.name === name)?.database?.seed
      : undefined;
    await prepareDatabase({ ...common, name, seed });
  }
  say(`${names.length} databases up to date`);
} catch (error) {
  process.stderr.write(`migrate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
