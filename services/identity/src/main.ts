import { assertMigrated } from '@bazaar/db/migrations';
import { createPool } from '@bazaar/db/pool';
import { startServiceEvents } from '@bazaar/events/service-events';
import { bootWarnings } from '@bazaar/service-kit/boot-warnings';
import { runService } from '@bazaar/service-kit/serve';
import { buildApp } from './app.js';
import { migrationsDirectory, readConfig } from './config.js';
import { prepareIdentity } from './prepare-identity.js';

await runService('identity', async () => {
  const config = readConfig();
  const warnings = bootWarnings('identity');
  const db = createPool(config.DATABASE_URL, {
    applicationName: 'identity',
    onIdleClientError: (error) => warnings.warn(error, 'idle database connection failed'),
  });
  await assertMigrated(db, migrationsDirectory);
  const app = await buildApp(await prepareIdentity(config, db));
  warnings.attach(app.log);
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
