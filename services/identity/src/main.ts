import { assertMigrated } from '@bazaar/db/migrations';
import { createPool } from '@bazaar/db/pool';
import { startServiceEvents } from '@bazaar/events/service-events';
import { runService } from '@bazaar/service-kit/serve';
import { buildApp } from './app.js';
import { migrationsDirectory, readConfig } from './config.js';
import { prepareIdentity } from './prepare-identity.js';

await runService('identity', async () => {
  const config = readConfig();
  const db = createPool(config.DATABASE_URL, {
    applicationName: 'identity',
    onIdleClientError: (error) => app.log.warn({ err: error }, 'idle database connection failed'),
  });
  await assertMigrated(db, migrationsDirectory);
  const app = await buildApp(await prepareIdentity(config, db));
  const stopEvents = await startServiceEvents({
    name: 'identity',
    config,
    db,
    log: app.log,
    metrics: app.metrics,
  });
  app.addHook('onClose', async () => {
    await stopEvents();
    await db.end();
  });
  return { app, config };
});
