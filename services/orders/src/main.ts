import { assertMigrated } from '@bazaar/db/migrations';
import { createPool } from '@bazaar/db/pool';
import { startServiceEvents } from '@bazaar/events/service-events';
import { identityVerifiers } from '@bazaar/service-kit/auth';
import { bootWarnings } from '@bazaar/service-kit/boot-warnings';
import { runService } from '@bazaar/service-kit/serve';
import { serviceClient } from '@bazaar/service-kit/service-client';
import { serviceTokenSource } from '@bazaar/service-kit/service-token';
import { buildApp } from './app.js';
import { migrationsDirectory, readConfig } from './config.js';
import { collaborators } from './domain/collaborators.js';
import { orderEventHandlers } from './domain/payment-events.js';

await runService('orders', async () => {
  const config = readConfig();
  const warnings = bootWarnings('orders');
  const db = createPool(config.DATABASE_URL, {
    applicationName: 'orders',
    onIdleClientError: (error) => warnings.warn(error, 'idle database connection failed'),
  });
  await assertMigrated(db, migrationsDirectory);
  const token = serviceTokenSource({
    identityUrl: config.IDENTITY_URL,
    clientId: config.SERVICE_CLIENT_ID,
    clientSecret: config.SERVICE_CLIENT_SECRET,
  });
  const client = (name: string, baseUrl: string) => serviceClient({ name, baseUrl, token });
  const app = await buildApp({
    config,
    db,
    services: collaborators({
      cart: client('cart', config.CART_URL),
      catalog: client('catalog', config.CATALOG_URL),
      inventory: client('inventory', config.INVENTORY_URL),
      payments: client('payments', config.PAYMENTS_URL),
    }),
    verify: identityVerifiers(config).verify,
  });
  warnings.attach(app.log);
  const stopEvents = await startServiceEvents({
    name: 'orders',
    config,
    db,
    log: app.log,
    metrics: app.metrics,
    handlers: orderEventHandlers,
  });
  app.addHook('onClose', async () => {
    await stopEvents();
    await db.end();
  });
  return { app, config };
});
