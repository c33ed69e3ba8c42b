import { migrate } from '@bazaar/db/migrations';
import { createPool, type Pool } from '@bazaar/db/pool';
import { databaseUrl, ensureDatabase } from '@bazaar/db/server-admin';
import { serviceMigrations } from '@bazaar/events/migrations';

/** Where a database's migrations are in a checkout or an image: `root` is its top directory. */
export function migrationsOf(root: URL, name: string): URL[] {
  return name === 'bus'
    ? [new URL('packages/events/migrations/bus/', root)]
    : serviceMigrations(new URL(`services/${name}/`, root));
}

/**
 * Creates the database `<prefix><name>` on the server if it is missing, applies its migrations,
 * then seeds it when a seed is given; returns its URL. Safe to run again: applied migrations are
 * skipped and seeds keep what is there.
 */
export async function prepareDatabase(options: {
  root: URL;
  serverUrl: string;
  prefix: string;
  name: string;
  seed?: ((pool: Pool) => Promise<unknown>) | undefined;
  log: (line: string) => void;
}): Promise<string> {
  const { name, log } = options;
  const database = `${options.prefix}${name}`;
  await ensureDatabase(options.serverUrl, database);
  const url = databaseUrl(options.serverUrl, database);
  const pool = createPool(url, {
    applicationName: 'bazaar-migrate',
    // A migration takes as long as it takes, and waits for another migrator's lock.
    queryTimeoutMs: 0,
    max: 2,
    onIdleClientError: (error) => log(`${name} database: ${error.message}`),
  });
  try {
    const applied = await migrate(pool, migrationsOf(options.root, name));
    if (applied.length > 0) log(`${name}: applied ${applied.join(', ')}`);
    await options.seed?.(pool);
  } finally {
    await pool.end();
  }
  return url;
}
