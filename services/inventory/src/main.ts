import { assertMigrated } from '@bazaar/db/migrations';
import { createPool } from '@bazaar/db/pool';
import { startServiceEvents } from '@bazaar/events/service-events';
import { identityVerifiers } from '@bazaar/service-kit/auth';
import { bootWarnings } from '@bazaar/service-kit/boot-warnings';
import { runService } from '@bazaar/service-kit/serve';
import { buildApp } from './app.js';
import { migrationsDirectory, readConfig } from './config.js';

await runService('inventory', async () => {
  const config = readConfig();
  const warnings = bootWarnings('inventory');
  const db = createPool(config.DATABASE_URL, {
    applicationName: 'inventory',
    onIdleClientError: (error) => warnings.warn(error, 'idle database connection failed'),
  });
  await assertMigrated(db, migrationsDirectory);
  const app = await buildApp({ config, db, ...identityVerifiers(config) });
  warnings.attach(app.log);
  const stopEvents = await startServiceEvents({
    name: 'inventory',
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
