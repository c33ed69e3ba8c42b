import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp as buildCatalog } from '@bazaar/catalog/app';
import { directoryImageStore } from '@bazaar/catalog/image-store';
import { seedCatalog } from '@bazaar/catalog/seed';
import { createTestDatabase } from '@bazaar/db/test-database';
import { serviceMigrations } from '@bazaar/events/migrations';
import { type RunningIdentity, startIdentity } from '@bazaar/identity/test-fixture';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { identityVerifiers } from '@bazaar/service-kit/auth';
import { buildApp } from '../src/app.js';
import { type GatewayConfig, readConfig } from '../src/config.js';
import { prepareGateway } from '../src/prepare-gateway.js';

export type RunningStack = {
  /** The gateway's base URL: every test request goes through it, over HTTP. */
  url: string;
  identity: RunningIdentity;
  gateway: ServiceApp;
  close: () => Promise<void>;
};

const host = '127.0.0.1';

/** identity, catalog and gateway, each listening on its own port, as in production. */
export async function startStack(
  postgresUrl: string,
  gatewayEnv: Record<string, string> = {},
  options: { seedCatalog?: boolean } = {},
): Promise<RunningStack> {
  const identity = await startIdentity(postgresUrl);
  const identityUrl = await identity.app.listen({ port: 0, host });
  const catalogDatabase = await createTestDatabase(postgresUrl, {
    migrations: serviceMigrations(new URL('../../catalog/', import.meta.url)),
  });
  if (options.seedCatalog) await seedCatalog(catalogDatabase.pool);
  const catalog = await buildCatalog({
    config: {
      LOG_LEVEL: 'silent',
      BODY_LIMIT_BYTES: 1_048_576,
      TRUST_PROXY_HOPS: 1,
      PROMOTION_SWEEP_INTERVAL_MS: 10_000,
    },
    db: catalogDatabase.pool,
    ...identityVerifiers({ ...identity.config, IDENTITY_URL: identityUrl }),
    images: directoryImageStore(await mkdtemp(join(tmpdir(), 'catalog-images-'))),
  });
  const catalogUrl = await catalog.listen({ port: 0, host });
  const gateway = await buildApp(
    await prepareGateway(
      gatewayConfig({ IDENTITY_URL: identityUrl, CATALOG_URL: catalogUrl, ...gatewayEnv }),
    ),
  );
  const url = await gateway.listen({ port: 0, host });
  return {
    url,
    identity,
    gateway,
    close: async () => {
      await gateway.close();
      await catalog.close();
      await catalogDatabase.drop();
      await identity.close();
    },
  };
}

export function gatewayConfig(env: Record<string, string>): GatewayConfig {
  return readConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
}
