import { identityVerifiers } from '@bazaar/service-kit/auth';
import { runDatabaseService } from '@bazaar/service-kit/database-service';
import { connectRedis } from '@bazaar/service-kit/redis';
import { buildApp } from './app.js';
import { migrations, readConfig } from './config.js';
import { memoryReadCache, noReadCache, redisReadCache } from './domain/read-cache.js';
import { eventHandlers } from './events/index.js';
import { imageStoreOf } from './store/image-store.js';

await runDatabaseService('catalog', {
  readConfig,
  migrations,
  build: async ({ config, db, warnings }) => {
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
    const images = await imageStoreOf(config.IMAGE_STORE, {
      region: config.IMAGE_S3_REGION,
      endpoint: config.IMAGE_S3_ENDPOINT,
    });
    return {
      app: await buildApp({ config, db, cache, images, ...identityVerifiers(config) }),
      handlers: eventHandlers,
      // A SKU sold out or back: cached pages may show it wrongly.
      afterApplied: () => cache.invalidate(),
      close: async () => {
        images.close();
        await redis?.quit();
      },
    };
  },
});
