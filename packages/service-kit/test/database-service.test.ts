import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@bazaar/db/test-database';
import { waitFor } from '@bazaar/testing/until';
import { afterAll, beforeAll, expect, inject, test, vi } from 'vitest';
import { createServiceApp } from '../src/app.js';
import { startDatabaseService } from '../src/database-service.js';

let service: TestDatabase;
let bus: TestDatabase;
const noMigrations = mkdtempSync(join(tmpdir(), 'bazaar-no-migrations-'));

beforeAll(async () => {
  service = await createTestDatabase(inject('postgresUrl'));
  bus = await createTestDatabase(inject('postgresUrl'), {
    migrations: [new URL('../../events/migrations/bus/', import.meta.url)],
  });
});

afterAll(async () => {
  await service?.drop();
  await bus?.drop();
  rmSync(noMigrations, { recursive: true, force: true });
});

test("a database connection lost while the service starts, before its app's log exists, is a warning on stdout; the service starts and serves", async () => {
  const printed: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk, ...rest) => {
    printed.push(String(chunk));
    return write(chunk, ...(rest as []));
  });
  try {
    const { app } = await startDatabaseService('bootdemo', {
      readConfig: () => ({
        DATABASE_URL: service.url,
        BUS_DATABASE_URL: bus.url,
        NATS_STREAM: 'bazaar',
        NATS_STREAM_REPLICAS: 1,
        OUTBOX_RELAY_INTERVAL_MS: 200,
        PORT: 0,
        METRICS_PORT: 0,
        HOST: '127.0.0.1',
        SHUTDOWN_DRAIN_MS: 0,
        SHUTDOWN_TIMEOUT_MS: 1000,
      }),
      migrations: [pathToFileURL(`${noMigrations}/`)],
      build: async ({ db }) => {
        // The pool's idle connection is cut by the server (a restart, a failover) mid-start.
        await db.query('SELECT 1');
        await service.pool.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE application_name = 'bootdemo' AND pid <> pg_backend_pid()`,
        );
        await waitFor(
          async () => printed.some((line) => line.includes('idle database connection failed')),
          (seen) => seen,
          { timeoutMs: 5000 },
        );
        const app = await createServiceApp({
          name: 'bootdemo',
          logLevel: 'silent',
          bodyLimitBytes: 1024,
        });
        app.get('/api/now', async () => ({ now: (await db.query('SELECT now()')).rows[0].now }));
        return { app, publishes: false };
      },
    });
    const warning = JSON.parse(
      printed.find((line) => line.includes('idle database connection failed')) ?? '{}',
    );
    expect(warning).toMatchObject({ level: 40, service: 'bootdemo' });
    // The pool replaced the connection: the service answers from its database.
    expect((await app.inject({ method: 'GET', url: '/api/now' })).statusCode).toBe(200);
    await app.close();
  } finally {
    stdout.mockRestore();
  }
});
