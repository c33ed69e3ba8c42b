import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterEach, beforeEach, expect, inject, test } from 'vitest';
import { migrate } from '../src/migrations.js';
import { databaseUrl, ensureMonitoringRole, ensureServiceRole } from '../src/server-admin.js';
import { createTestDatabase, type TestDatabase } from '../src/test-database.js';

let own: TestDatabase;
let other: TestDatabase;
let directory: string;
const role = `bazaar_test_role_${randomBytes(4).toString('hex')}`;
const otherRole = `${role}_other`;
const monitor = `${role}_monitor`;

/** `url` as a service's role would connect with it. */
function asRole(url: string, name = role): string {
  const asService = new URL(url);
  asService.username = name;
  asService.password = encodeURIComponent('a password with spaces & quotes \'"');
  return asService.toString();
}

async function queryAs(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'bazaar-roles-'));
  await writeFile(
    join(directory, '0001_items.sql'),
    'CREATE TABLE items (id serial PRIMARY KEY, name text);',
  );
  own = await createTestDatabase(inject('postgresUrl'), {
    migrations: [pathToFileURL(`${directory}/`)],
  });
  other = await createTestDatabase(inject('postgresUrl'));
});

afterEach(async () => {
  await own.drop();
  await other.drop();
  await queryAs(inject('postgresUrl'), `DROP ROLE IF EXISTS ${role}, ${otherRole}, ${monitor}`);
  await rm(directory, { recursive: true, force: true });
});

test("a service's role reads and writes its own database's tables, and nothing more", async () => {
  await ensureServiceRole(inject('postgresUrl'), asRole(own.url));
  await ensureServiceRole(inject('postgresUrl'), asRole(other.url, otherRole));
  const mine = asRole(own.url);

  await queryAs(mine, `INSERT INTO items (name) VALUES ('mug')`);
  expect((await queryAs(mine, 'SELECT name FROM items')).rows).toEqual([{ name: 'mug' }]);
  await queryAs(mine, `UPDATE items SET name = 'cup'`);
  await queryAs(mine, 'DELETE FROM items');

  await expect(queryAs(mine, 'DROP TABLE items')).rejects.toThrow(/must be owner/);
  await expect(queryAs(mine, 'CREATE TABLE mine (id int)')).rejects.toThrow(/permission denied/);
  await expect(queryAs(asRole(other.url), 'SELECT 1')).rejects.toThrow(
    /permission denied for database/,
  );
});

test('tables a later migration makes are the role’s to use too, and running it again keeps its rights', async () => {
  await ensureServiceRole(inject('postgresUrl'), asRole(own.url));
  await writeFile(join(directory, '0002_notes.sql'), 'CREATE TABLE notes (id serial PRIMARY KEY);');
  await migrate(own.pool, [pathToFileURL(`${directory}/`)]);
  await ensureServiceRole(inject('postgresUrl'), asRole(own.url));

  await queryAs(asRole(own.url), 'INSERT INTO notes DEFAULT VALUES');
  expect((await queryAs(asRole(own.url), 'SELECT count(*)::int AS n FROM notes')).rows).toEqual([
    { n: 1 },
  ]);
});

test("the exporter's monitoring role sees every session and the server's settings, and no service's rows", async () => {
  await ensureServiceRole(inject('postgresUrl'), asRole(own.url));
  const monitoring = asRole(databaseUrl(own.url, 'postgres'), monitor);
  await ensureMonitoringRole(inject('postgresUrl'), monitoring);
  await ensureMonitoringRole(inject('postgresUrl'), monitoring);

  const service = new pg.Client({ connectionString: asRole(own.url) });
  await service.connect();
  try {
    const sessions = await queryAs(
      monitoring,
      `SELECT query FROM pg_stat_activity WHERE usename = '${role}'`,
    );
    // Without pg_monitor another role's query reads '<insufficient privilege>'.
    expect(sessions.rows).toEqual([{ query: expect.not.stringMatching(/insufficient privilege/) }]);
  } finally {
    await service.end();
  }
  const settings = await queryAs(
    monitoring,
    "SELECT setting FROM pg_settings WHERE name = 'max_connections'",
  );
  expect(Number(settings.rows[0]?.setting)).toBeGreaterThan(0);
  await expect(queryAs(asRole(own.url, monitor), 'SELECT * FROM items')).rejects.toThrow(
    /permission denied/,
  );
});
