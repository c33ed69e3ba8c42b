import { assertMigrated } from '@bazaar/db/migrations';
import { createPool } from '@bazaar/db/pool';
import { createTokenVerifier, remoteKeys } from '@bazaar/service-kit/auth';
import { runService } from '@bazaar/service-kit/serve';
import { buildApp } from './app.js';
import { migrationsDirectory, readConfig } from './config.js';

await runService('catalog', async () => {
  const config = readConfig();
  const db = createPool(config.DATABASE_URL, {
    applicationName: 'catalog',
    onIdleClientError: (error) => app.log.warn({ err: error }, 'idle database connection failed'),
  });
  await assertMigrated(db, migrationsDirectory);
  const app = await buildApp({
    config,
    db,
    verify: createTokenVerifier({
      keys: remoteKeys(`${config.IDENTITY_URL}/.well-known/jwks.json`),
      issuer: config.TOKEN_ISSUER,
      audience: config.TOKEN_AUDIENCE,
    }),
  });
  app.addHook('onClose', () => db.end());
  return { app, config };
});
