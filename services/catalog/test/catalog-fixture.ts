import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from '@bazaar/db/pool';
import { createTestDatabase } from '@bazaar/db/test-database';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { createTokenVerifier } from '@bazaar/service-kit/auth';
import { createTestTokens } from '@bazaar/testing/test-tokens';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.js';
import { migrations } from '../src/config.js';
import type { ReadCache } from '../src/domain/read-cache.js';
import { seedCatalog } from '../src/seed/seed-catalog.js';
import { directoryImageStore, type ImageStore } from '../src/store/image-store.js';

export type RunningCatalog = {
  app: ServiceApp;
  db: Pool;
  /** A bearer token of an admin, signed by a key this catalog trusts. */
  adminToken: string;
  customerToken: string;
  serviceToken: string;
  /** A request as the bearer of `token`: an admin's unless told. */
  send: (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
    token?: string,
  ) => Promise<LightMyRequestResponse>;
  /** `POST /internal/quotes`, as cart and orders ask it. */
  quote: (payload: object) => Promise<LightMyRequestResponse>;
  close: () => Promise<void>;
};

/** Catalog on its own fresh database, seeded with the demo assortment unless told otherwise. */
export async function startCatalog(
  postgresUrl: string,
  options: { seed?: boolean; cache?: ReadCache; images?: ImageStore } = {},
): Promise<RunningCatalog> {
  const database = await createTestDatabase(postgresUrl, { migrations: migrations });
  if (options.seed ?? true) await seedCatalog(database.pool);
  const tokens = await createTestTokens();
  const app = await buildApp({
    config: {
      LOG_LEVEL: 'silent',
      BODY_LIMIT_BYTES: 1_048_576,
      TRUST_PROXY_HOPS: 0,
      PROMOTION_SWEEP_INTERVAL_MS: 100,
    },
    db: database.pool,
    verify: createTokenVerifier({ keys: tokens.keys, issuer: tokens.issuer, audience: 'bazaar' }),
    verifyService: createTokenVerifier({
      keys: tokens.keys,
      issuer: tokens.issuer,
      audience: 'bazaar-internal',
    }),
    ...(options.cache && { cache: options.cache }),
    images: options.images ?? directoryImageStore(await mkdtemp(join(tmpdir(), 'catalog-images-'))),
  });
  await app.ready();
  const adminToken = await tokens.sign({ role: 'admin', audience: 'bazaar' });
  const serviceToken = await tokens.sign({ role: 'service', audience: 'bazaar-internal' });
  const send: RunningCatalog['send'] = (method, url, payload, token = adminToken) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });
  return {
    app,
    db: database.pool,
    adminToken,
    customerToken: await tokens.sign({ role: 'customer', audience: 'bazaar' }),
    serviceToken,
    send,
    quote: (payload) => send('POST', '/internal/quotes', payload, serviceToken),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
