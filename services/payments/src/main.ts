import { assertMigrated } from '@bazaar/db/migrations';
import { createPool } from '@bazaar/db/pool';
import { startServiceEvents } from '@bazaar/events/service-events';
import { identityVerifiers } from '@bazaar/service-kit/auth';
import { bootWarnings } from '@bazaar/service-kit/boot-warnings';
import { runService } from '@bazaar/service-kit/serve';
import { buildApp } from './app.js';
import { migrationsDirectory, readConfig } from './config.js';

await runService('payments', async () => {
  const config = readConfig();
  const warnings = bootWarnings('payments');
  const db = createPool(config.DATABASE_URL, {
    applicationName: 'payments',
    onIdleClientError: (error) => warnings.warn(error, 'idle database connection failed'),
  });
  await assertMigrated(db, migrationsDirectory);
  const app = await buildApp({
    config,
    db,
    verifyService: identityVerifiers(config).verifyService,
  });
  warnings.attach(app.log);
  const stopEvents = await startServiceEvents({
    name: 'payments',
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
