import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@bazaar/launcher/embedded-postgres';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { freePort } from './free-port.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server URL; tests create their own databases on it. */
    postgresUrl: string;
    /** The Redis server in REDIS_URL, when the run has one; tests of Redis-backed parts use it. */
    redisUrl: string | undefined;
  }
}

/**
 * The tests run against the PostgreSQL server in DATABASE_URL when it is set, and otherwise
 * against an embedded one started for this run, so `npm test` needs nothing but Node.js.
 * Redis is optional: tests of Redis-backed parts run against REDIS_URL when it is set; so is NATS
 * (NATS_URL), for the event tests' second transport.
 */
export default async function setup(project: TestProject) {
  // A run that must cover Redis or NATS fails at once without them, rather than skipping those tests.
  for (const [variable, server] of [
    ['REDIS_URL', 'BAZAAR_REDIS_TESTS'],
    ['NATS_URL', 'BAZAAR_NATS_TESTS'],
  ] as const) {
    if (process.env[server] === 'required' && !process.env[variable]) {
      throw new Error(`${server}=required but ${variable} is not set`);
    }
  }
  // Tests that spawn the launcher or a command run the bundles; built once, before any file runs.
  execFileSync(process.execPath, ['tools/build.mjs'], {
    cwd: new URL('../../../', import.meta.url),
  });
  project.provide('redisUrl', process.env.REDIS_URL);
  const configured = process.env.DATABASE_URL;
  if (configured) {
    project.provide('postgresUrl', configured);
    return;
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'bazaar-test-pg-'));
  const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), log: () => {} });
  project.provide('postgresUrl', postgres.url);
  return async () => {
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
