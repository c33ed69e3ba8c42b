import { assertMigrated } from '@bazaar/db/migrations';
import { createPool } from '@bazaar/db/pool';
import { startServiceEvents } from '@bazaar/events/service-events';
import { identityVerifiers } from '@bazaar/service-kit/auth';
import { bootWarnings } from '@bazaar/service-kit/boot-warnings';
import { connectRedis } from '@bazaar/service-kit/redis';
import { runService } from '@bazaar/service-kit/serve';
import { buildApp } from './app.js';
import { migrationsDirectory, readConfig } from './config.js';
import { memoryReadCache, noReadCache, redisReadCache } from './domain/read-cache.js';
import { catalogEventHandlers } from './domain/stock-events.js';

await runService('catalog', async () => {
  const config = readConfig();
  const warnings = bootWarnings('catalog');
  const db = createPool(config.DATABASE_URL, {
    applicationName: 'catalog',
    onIdleClientError: (error) => warnings.warn(error, 'idle database connection failed'),
  });
  await assertMigrated(db, migrationsDirectory);
  const redis = config.REDIS_URL
    ? await connectRedis(config.REDIS_URL, (error) =>
        warnings.warn(error, 'redis connection failed'),
      )
    : undefined;
  const cache = redis
    ? redisReadCache(redis, {
        ttlSeconds: config.READ_CACHE_TTL_SECONDS,
        onError: (error) => warnings.warn(error, 'read cache unavailable'),
      })
    : config.LOCAL_READ_CACHE_TTL_MS > 0
      ? memoryReadCache({ ttlMs: config.LOCAL_READ_CACHE_TTL_MS, maxEntries: 1000 })
      : noReadCache;
  const app = await buildApp({
    config,
    db,
    cache,
    ...identityVerifiers(config),
  });
  warnings.attach(app.log);
  const stopEvents = await startServiceEvents({
    name: 'catalog',
    config,
    db,
    log: app.log,
    metrics: app.metrics,
    handlers: catalogEventHandlers,
    // A SKU sold out or back: cached pages may show it wrongly.
    afterApplied: () => cache.invalidate(),
  });
  app.addHook('onClose', async () => {
    await stopEvents();
    await redis?.quit();
    await db.end();
  });
  return { app, config };
});
