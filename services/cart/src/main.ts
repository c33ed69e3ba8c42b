import { identityVerifiers } from '@bazaar/service-kit/auth';
import { runDatabaseService } from '@bazaar/service-kit/database-service';
import { connectRedis } from '@bazaar/service-kit/redis';
import { serviceClient } from '@bazaar/service-kit/service-client';
import { serviceTokenSource } from '@bazaar/service-kit/service-token';
import { buildApp } from './app.js';
import { catalogQuotes } from './clients/catalog.js';
import { migrations, readConfig } from './config.js';
import { eventHandlers } from './events/index.js';
import { postgresCartStore } from './store/postgres-cart-store.js';
import { redisCartStore } from './store/redis-cart-store.js';

await runDatabaseService('cart', {
  readConfig,
  migrations,
  build: async ({ config, db, warnings }) => {
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
    return {
      app: await buildApp({
        config,
        db,
        store,
        quotes: catalogQuotes(
          serviceClient({ name: 'catalog', baseUrl: config.CATALOG_URL, token }),
        ),
        ...identityVerifiers(config),
        ...(redis ? { storeReady: () => redis.ping() } : {}),
      }),
      publishes: false,
      handlers: eventHandlers(store),
      close: () => store.close(),
    };
  },
});
