import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest';
import { assertMigrated, migrate } from '../src/migrations.js';
import { createPool, type Pool } from '../src/pool.js';
import { createTestDatabase, type TestDatabase } from '../src/test-database.js';

let database: TestDatabase;
let pool: Pool;
let directory: string;
const directoryUrl = () => pathToFileURL(`${directory}/`);
const write = (name: string, sql: string) => writeFile(join(directory, name), sql);

beforeEach(async () => {
  database = await createTestDatabase(inject('postgresUrl'));
  pool = database.pool;
  directory = await mkdtemp(join(tmpdir(), 'bazaar-migrations-'));
  await write('0001_create_items.sql', 'CREATE TABLE items (id int PRIMARY KEY);');
});

afterEach(async () => {
  await database.drop();
  await rm(directory, { recursive: true, force: true });
});

describe('migrations', () => {
  test('pending migrations are applied once, in order', async () => {
    await write('0002_add_name.sql', 'ALTER TABLE items ADD COLUMN name text;');

    expect(await migrate(pool, [directoryUrl()])).toEqual([
      '0001_create_items.sql',
      '0002_add_name.sql',
    ]);
    expect(await migrate(pool, [directoryUrl()])).toEqual([]);
    await pool.query(`INSERT INTO items (id, name) VALUES (1, 'mug')`);
  });

  test('a failing migration is rolled back whole and not recorded', async () => {
    await write(
      '0002_broken.sql',
      'ALTER TABLE items ADD COLUMN name text; SELECT * FROM missing;',
    );

    await expect(migrate(pool, [directoryUrl()])).rejects.toThrow(
      /migration 0002_broken.sql failed: relation "missing" does not exist/,
    );
    const columns = await pool.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'items'`,
    );
    expect(columns.rows.map((row) => row.column_name)).toEqual(['id']);
    await expect(assertMigrated(pool, [directoryUrl()])).rejects.toThrow(/lacks migration/);
  });

  test('an applied migration that was edited is refused', async () => {
    await migrate(pool, [directoryUrl()]);
    await write('0001_create_items.sql', 'CREATE TABLE items (id bigint PRIMARY KEY);');

    await expect(migrate(pool, [directoryUrl()])).rejects.toThrow(
      'migration 0001_create_items.sql was edited after it was applied',
    );
    await expect(assertMigrated(pool, [directoryUrl()])).rejects.toThrow(/was edited/);
  });

  test('a database holding a migration this code does not know is refused', async () => {
    await write('0002_newer.sql', 'CREATE TABLE newer (id int);');
    await migrate(pool, [directoryUrl()]);
    await rm(join(directory, '0002_newer.sql'));

    await expect(assertMigrated(pool, [directoryUrl()])).rejects.toThrow(
      'database holds migration 0002_newer.sql, which this code does not know',
    );
  });

  test('a service checks an unmigrated database and refuses it', async () => {
    await expect(assertMigrated(pool, [directoryUrl()])).rejects.toThrow(
      'database lacks migration(s) 0001_create_items.sql; run the migrations first',
    );
    await migrate(pool, [directoryUrl()]);
    await expect(assertMigrated(pool, [directoryUrl()])).resolves.toBeUndefined();
  });

  test("a shared set applies after the database's own, named by its directory, and is checked like it", async () => {
    const shared = join(directory, 'event-tables');
    await mkdir(shared);
    await writeFile(join(shared, '0001_add_note.sql'), 'ALTER TABLE items ADD COLUMN note text;');
    const sets = [directoryUrl(), pathToFileURL(`${shared}/`)];

    expect(await migrate(pool, sets)).toEqual([
      '0001_create_items.sql',
      'event-tables/0001_add_note.sql',
    ]);
    await pool.query(`INSERT INTO items (id, note) VALUES (1, 'fragile')`);
    await expect(assertMigrated(pool, [directoryUrl()])).rejects.toThrow(
      'database holds migration event-tables/0001_add_note.sql, which this code does not know',
    );
    await writeFile(join(shared, '0001_add_note.sql'), 'ALTER TABLE items ADD COLUMN memo text;');
    await expect(assertMigrated(pool, sets)).rejects.toThrow(
      'migration event-tables/0001_add_note.sql was edited after it was applied',
    );
  });

  test('two migrators racing apply each migration once', async () => {
    const other = createPool(database.url, {
      applicationName: 'test',
      onIdleClientError: () => {},
    });
    const [first, second] = await Promise.all([
      migrate(pool, [directoryUrl()]),
      migrate(other, [directoryUrl()]),
    ]);
    await other.end();
    expect([...first, ...second]).toEqual(['0001_create_items.sql']);
  });
});
