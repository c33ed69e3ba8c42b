import { randomBytes } from 'node:crypto';
import { migrate } from './migrations.js';
import { createPool, type Pool } from './pool.js';
import { databaseUrl, dropDatabase, ensureDatabase } from './server-admin.js';

export type TestDatabase = { url: string; pool: Pool; drop: () => Promise<void> };

/**
 * A fresh database with a unique name on the server at `serverUrl`, migrated when `migrations`
 * is given, so every test file gets its own and runs in parallel with the others.
 * `drop()` closes the pool and removes the database.
 */
export async function createTestDatabase(
  serverUrl: string,
  options: { migrations?: readonly URL[] } = {},
): Promise<TestDatabase> {
  const name = `bazaar_test_${randomBytes(6).toString('hex')}`;
  await ensureDatabase(serverUrl, name);
  const url = databaseUrl(serverUrl, name);
  const pool = createPool(url, { applicationName: 'test', onIdleClientError: () => {} });
  if (options.migrations) await migrate(pool, options.migrations);
  return {
    url,
    pool,
    drop: async () => {
      await pool.end();
      await dropDatabase(serverUrl, name);
    },
  };
}
