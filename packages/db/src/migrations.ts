import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

/** The database and this code disagree about the schema; the process must not start. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

type Migration = { name: string; sql: string; checksum: string };
type AppliedMigration = { name: string; checksum: string };

const fileNamePattern = /^\d{4}_[a-z0-9_]+\.sql$/;
// Any constant works; it only has to be the same for every process migrating this database.
const migrationLockKey = 7_265_611;

/**
 * Applies the pending `NNNN_name.sql` files of `sets`, each in its own transaction, under an
 * advisory lock so two migrators never race. Refuses an edited or an unknown applied migration.
 * Returns the names it applied.
 *
 * The first set is the database's own, its migrations named by their files; the others are shared
 * by several databases (the event tables every service keeps alike), named `<set>/<file>` after
 * their directory, and applied after the own set's.
 */
export async function migrate(pool: pg.Pool, sets: readonly URL[]): Promise<string[]> {
  const migrations = await readMigrations(sets);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [migrationLockKey]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const pending = compare(await readApplied(client), migrations);
    for (const migration of pending) await apply(client, migration);
    return pending.map((migration) => migration.name);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [migrationLockKey]).catch(() => undefined);
    client.release();
  }
}

/** Refuses to go on unless the database holds exactly the migrations of `sets`. */
export async function assertMigrated(pool: pg.Pool, sets: readonly URL[]): Promise<void> {
  const migrations = await readMigrations(sets);
  const { rows } = await pool.query<{ exists: boolean }>(
    `SELECT to_regclass('schema_migrations') IS NOT NULL AS exists`,
  );
  const applied = rows[0]?.exists ? await readApplied(pool) : [];
  const pending = compare(applied, migrations);
  if (pending.length > 0) {
    throw new MigrationError(
      `database lacks migration(s) ${pending.map((m) => m.name).join(', ')}; run the migrations first`,
    );
  }
}

async function readMigrations(sets: readonly URL[]): Promise<Migration[]> {
  const read = await Promise.all(
    sets.map(async (directory, index) => {
      const prefix = index === 0 ? '' : `${basename(fileURLToPath(directory))}/`;
      const files = (await readdir(directory)).filter((file) => file.endsWith('.sql')).sort();
      return Promise.all(
        files.map(async (file) => {
          if (!fileNamePattern.test(file)) {
            throw new MigrationError(
              `migration file ${file} is not named like 0001_create_table.sql`,
            );
          }
          const sql = await readFile(new URL(file, directory), 'utf8');
          const checksum = createHash('sha256').update(sql).digest('hex');
          return { name: `${prefix}${file}`, sql, checksum };
        }),
      );
    }),
  );
  return read.flat();
}

async function readApplied(db: pg.Pool | pg.PoolClient): Promise<AppliedMigration[]> {
  const { rows } = await db.query<AppliedMigration>(
    'SELECT name, checksum FROM schema_migrations ORDER BY name',
  );
  return rows;
}

/** Checks what was applied against what this code knows; returns what is still to apply. */
function compare(applied: AppliedMigration[], known: Migration[]): Migration[] {
  const knownByName = new Map(known.map((migration) => [migration.name, migration]));
  for (const row of applied) {
    const migration = knownByName.get(row.name);
    if (!migration) {
      throw new MigrationError(
        `database holds migration ${row.name}, which this code does not know; run the code that added it`,
      );
    }
    if (migration.checksum !== row.checksum) {
      throw new MigrationError(
        `migration ${row.name} was edited after it was applied; add a new migration instead`,
      );
    }
  }
  const appliedNames = new Set(applied.map((row) => row.name));
  return known.filter((migration) => !appliedNames.has(migration.name));
}

async function apply(client: pg.PoolClient, migration: Migration): Promise<void> {
  try {
    await client.query('BEGIN');
    await client.query(migration.sql);
    await client.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [
      migration.name,
      migration.checksum,
    ]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`migration ${migration.name} failed: ${reason}`);
  }
}
