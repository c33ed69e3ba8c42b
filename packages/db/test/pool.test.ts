import { type SilentLink, silentLink } from '@bazaar/testing/silent-link';
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest';
import { createPool, type Pool, withTransaction } from '../src/pool.js';
import { statementsSent } from '../src/statement-counts.js';
import { createTestDatabase, type TestDatabase } from '../src/test-database.js';

let database: TestDatabase;
let link: SilentLink;
let pool: Pool;

beforeEach(async () => {
  database = await createTestDatabase(inject('postgresUrl'));
  const url = new URL(database.url);
  link = await silentLink({ host: url.hostname, port: Number(url.port || 5432) });
  url.hostname = '127.0.0.1';
  url.port = String(link.port);
  pool = createPool(url.href, {
    applicationName: 'test',
    // One connection: what the pool answers next is the connection a failed query leaves behind.
    max: 1,
    queryTimeoutMs: 1000,
    onIdleClientError: () => {},
  });
});

afterEach(async () => {
  await pool.end();
  await link.close();
  await database.drop();
});

const elapsed = async (work: () => Promise<unknown>) => {
  const started = Date.now();
  const outcome = await work().then(
    () => 'answered',
    (error: Error) => error.message,
  );
  return { outcome, ms: Date.now() - started };
};

describe('a database cut off by a partition (no reset, no answer)', () => {
  test('a query gives up at the query timeout instead of waiting for TCP, and the pool serves again once the link is back', async () => {
    await pool.query('SELECT 1');
    link.silence();
    const cut = await elapsed(() => pool.query('SELECT 1'));
    expect(cut.outcome).toBe('Query read timeout');
    expect(cut.ms).toBeLessThan(3000);
    link.restore();
    expect((await pool.query<{ n: number }>('SELECT 2 AS n')).rows).toEqual([{ n: 2 }]);
  });

  test('a transaction cut off midway fails at the query timeout, and its connection leaves the pool instead of answering the next caller', async () => {
    await pool.query('CREATE TABLE notes (id int PRIMARY KEY)');
    // Timed from the silence on: what went before it is no part of the wait.
    let silencedAt = 0;
    const cut = await elapsed(() =>
      withTransaction(pool, async (trx) => {
        await trx.query('INSERT INTO notes VALUES (1)');
        link.silence();
        silencedAt = Date.now();
        await trx.query('INSERT INTO notes VALUES (2)');
      }),
    );
    const waited = Date.now() - silencedAt;
    expect(cut.outcome).toBe('Query read timeout');
    // One timeout (1 s), not two: a ROLLBACK sent down the same silent connection would wait
    // as long again.
    expect(waited).toBeLessThan(1950);
    link.restore();
    // The one connection the pool may hold is a new one, in no transaction: nothing was kept.
    expect((await pool.query('SELECT id FROM notes')).rows).toEqual([]);
    expect((await pool.query('SELECT now() = statement_timestamp() AS fresh')).rows).toEqual([
      { fresh: true },
    ]);
  });
});

describe('counting what a pool sends', () => {
  test("each statement is counted under the pool's name, a transaction by its BEGIN", async () => {
    const counted = createPool(database.url, {
      applicationName: 'counted-pool',
      onIdleClientError: () => {},
    });
    try {
      const before = {
        ...(statementsSent().get('counted-pool') ?? { statements: 0, transactions: 0 }),
      };
      await counted.query('SELECT 1');
      await counted.query({ text: 'SELECT $1::int', values: [2] });
      await withTransaction(counted, async (trx) => {
        await trx.query('SELECT 3');
      });
      await expect(
        withTransaction(counted, async (trx) => {
          await trx.query('SELECT nope');
        }),
      ).rejects.toThrow();
      const after = statementsSent().get('counted-pool');
      // 2 alone; BEGIN, SELECT, COMMIT; BEGIN, the failed SELECT, ROLLBACK.
      expect((after?.statements ?? 0) - before.statements).toBe(8);
      expect((after?.transactions ?? 0) - before.transactions).toBe(2);
    } finally {
      await counted.end();
    }
  });
});

describe('prepared statements', () => {
  test('a statement with values is prepared once on its connection and run by name after', async () => {
    const text = 'SELECT $1::int + 1 AS n';
    for (const n of [1, 2, 3]) {
      expect((await pool.query(text, [n])).rows).toEqual([{ n: n + 1 }]);
    }
    const client = await pool.connect();
    try {
      expect((await client.query(text, [41])).rows).toEqual([{ n: 42 }]);
      const { rows } = await client.query(
        'SELECT statement FROM pg_prepared_statements WHERE NOT from_sql',
      );
      // The same connection (the pool has one): prepared once, for the pool's calls and its own.
      expect(rows).toEqual([{ statement: text }]);
    } finally {
      client.release();
    }
  });

  test('a table a migration changed under a prepared SELECT *: the call that meets it fails, later calls answer with the new column', async () => {
    await pool.query('CREATE TABLE lamps (sku text PRIMARY KEY)');
    await pool.query("INSERT INTO lamps VALUES ('LGT-05-SND')");
    const text = 'SELECT * FROM lamps WHERE sku = $1';
    expect((await pool.query(text, ['LGT-05-SND'])).rows).toEqual([{ sku: 'LGT-05-SND' }]);
    await pool.query('ALTER TABLE lamps ADD COLUMN colour text');

    await expect(pool.query(text, ['LGT-05-SND'])).rejects.toThrow(
      'cached plan must not change result type',
    );
    expect((await pool.query(text, ['LGT-05-SND'])).rows).toEqual([
      { sku: 'LGT-05-SND', colour: null },
    ]);
  });
});
