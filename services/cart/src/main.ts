import { assertMigrated } from '@bazaar/db/migrations';
import { createPool } from '@bazaar/db/pool';
import { startServiceEvents } from '@bazaar/events/service-events';
import { identityVerifiers } from '@bazaar/service-kit/auth';
import { bootWarnings } from '@bazaar/service-kit/boot-warnings';
import { connectRedis } from '@bazaar/service-kit/redis';
import { runService } from '@bazaar/service-kit/serve';
import { serviceClient } from '@bazaar/service-kit/service-client';
import { serviceTokenSource } from '@bazaar/service-kit/service-token';
import { buildApp } from './app.js';
import { migrationsDirectory, readConfig } from './config.js';
import { cartEventHandlers } from './domain/order-events.js';
import { postgresCartStore } from './store/postgres-cart-store.js';
import { redisCartStore } from './store/redis-cart-store.js';

await runService('cart', async () => {
  const config = readConfig();
  const warnings = bootWarnings('cart');
  const db = createPool(config.DATABASE_URL, {
    applicationName: 'cart',
    onIdleClientError: (error) => warnings.warn(error, 'idle database connection failed'),
  });
  await assertMigrated(db, migrationsDirectory);
  const ttlSeconds = config.CART_TTL_DAYS * 86_400;
  const redis = config.REDIS_URL
    ? await connectRedis(config.REDIS_URL, (error) => warnings.warn(error, 'redis failed'))
    : undefined;
  const store = redis
    ? redisCartStore(redis, { ttlSeconds })
    : postgresCartStore(db, { ttlSeconds });
  const token = serviceTokenSource({
    identityUrl: config.IDENTITY_URL,
    clientId: config.SERVICE_CLIENT_ID,
    clientSecret: config.SERVICE_CLIENT_SECRET,
  });
  const app = await buildApp({
    config,
    db,
    store,
    catalog: serviceClient({ name: 'catalog', baseUrl: config.CATALOG_URL, token }),
    ...identityVerifiers(config),
    ...(redis ? { storeReady: () => redis.ping() } : {}),
  });
  warnings.attach(app.log);
  const stopEvents = await startServiceEvents({
    name: 'cart',
    config,
    db,
    log: app.log,
    metrics: app.metrics,
    publishes: false,
    handlers: cartEventHandlers(store),
  });
  app.addHook('onClose', async () => {
    await stopEvents();
    await store.close();
    await db.end();
  });
  return { app, config };
});
