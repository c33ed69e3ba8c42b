import { createTestDatabase, type TestDatabase } from '@bazaar/db/test-database';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { createTokenVerifier } from '@bazaar/service-kit/auth';
import { createTestTokens, type TestTokens } from '@bazaar/testing/test-tokens';
import { buildApp } from '../src/app.js';
import { migrations } from '../src/config.js';

export type RunningInventory = {
  app: ServiceApp;
  database: TestDatabase;
  tokens: TestTokens;
  /** Bearer tokens this inventory trusts: orders' (a service) and an admin's. */
  serviceToken: string;
  adminToken: string;
  close: () => Promise<void>;
};

/** Inventory on its own fresh database, its sweeper looking every `sweepIntervalMs`. */
export async function startInventory(
  postgresUrl: string,
  sweepIntervalMs = 100,
): Promise<RunningInventory> {
  const database = await createTestDatabase(postgresUrl, { migrations: migrations });
  const tokens = await createTestTokens();
  const verifier = (audience: string) =>
    createTokenVerifier({ keys: tokens.keys, issuer: tokens.issuer, audience });
  const app = await buildApp({
    config: {
      LOG_LEVEL: 'silent',
      BODY_LIMIT_BYTES: 1_048_576,
      TRUST_PROXY_HOPS: 0,
      RESERVATION_SWEEP_INTERVAL_MS: sweepIntervalMs,
    },
    db: database.pool,
    verify: verifier('bazaar'),
    verifyService: verifier('bazaar-internal'),
  });
  return {
    app,
    database,
    tokens,
    serviceToken: await tokens.sign({
      role: 'service',
      audience: 'bazaar-internal',
      subject: 'service:orders',
    }),
    adminToken: await tokens.sign({ role: 'admin', audience: 'bazaar' }),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
