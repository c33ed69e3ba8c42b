import type { Pool } from '@bazaar/db/pool';
import { createTestDatabase } from '@bazaar/db/test-database';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { createTokenVerifier } from '@bazaar/service-kit/auth';
import { createTestTokens } from '@bazaar/testing/test-tokens';
import { buildApp } from '../src/app.js';
import { migrations } from '../src/config.js';
import type { ReadCache } from '../src/domain/read-cache.js';
import { seedCatalog } from '../src/seed/seed-catalog.js';

export type RunningCatalog = {
  app: ServiceApp;
  db: Pool;
  /** A bearer token of an admin, signed by a key this catalog trusts. */
  adminToken: string;
  customerToken: string;
  serviceToken: string;
  close: () => Promise<void>;
};

/** Catalog on its own fresh database, seeded with the demo assortment unless told otherwise. */
export async function startCatalog(
  postgresUrl: string,
  options: { seed?: boolean; cache?: ReadCache } = {},
): Promise<RunningCatalog> {
  const database = await createTestDatabase(postgresUrl, { migrations: migrations });
  if (options.seed ?? true) await seedCatalog(database.pool);
  const tokens = await createTestTokens();
  const app = await buildApp({
    config: { LOG_LEVEL: 'silent', BODY_LIMIT_BYTES: 1_048_576, PROMOTION_SWEEP_INTERVAL_MS: 100 },
    db: database.pool,
    verify: createTokenVerifier({ keys: tokens.keys, issuer: tokens.issuer, audience: 'bazaar' }),
    verifyService: createTokenVerifier({
      keys: tokens.keys,
      issuer: tokens.issuer,
      audience: 'bazaar-internal',
    }),
    ...(options.cache && { cache: options.cache }),
  });
  await app.ready();
  return {
    app,
    db: database.pool,
    adminToken: await tokens.sign({ role: 'admin', audience: 'bazaar' }),
    customerToken: await tokens.sign({ role: 'customer', audience: 'bazaar' }),
    serviceToken: await tokens.sign({ role: 'service', audience: 'bazaar-internal' }),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
