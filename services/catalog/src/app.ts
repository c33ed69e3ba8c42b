import type { Pool } from '@bazaar/db/pool';
import { createServiceApp, type ServiceApp } from '@bazaar/service-kit/app';
import type { TokenVerifier } from '@bazaar/service-kit/auth';
import etag from '@fastify/etag';
import type { CatalogConfig } from './config.js';
import { problemStatuses } from './domain/errors.js';
import { startPromotionSweeper } from './domain/promotion-uses.js';
import { noReadCache, type ReadCache } from './domain/read-cache.js';
import { shopRegions } from './domain/shop-regions.js';
import { adminProductRoutes } from './routes/admin-product-routes.js';
import { adminRegionRoutes } from './routes/admin-region-routes.js';
import { categoryRoutes } from './routes/category-routes.js';
import { imageRoutes } from './routes/image-routes.js';
import { priceRoutes } from './routes/price-routes.js';
import { productRoutes } from './routes/product-routes.js';
import { promotionRoutes } from './routes/promotion-routes.js';
import { regionRoutes } from './routes/region-routes.js';
import { searchEngineRoutes } from './routes/search-engine-routes.js';
import type { ImageStore } from './store/image-store.js';

export type CatalogDeps = {
  config: Pick<
    CatalogConfig,
    'LOG_LEVEL' | 'BODY_LIMIT_BYTES' | 'TRUST_PROXY_HOPS' | 'PROMOTION_SWEEP_INTERVAL_MS'
  >;
  db: Pool;
  /** Checks admins' access tokens. */
  verify: TokenVerifier;
  /** Checks service tokens for /internal calls. */
  verifyService: TokenVerifier;
  /** Where repeated reads are answered from; none by default. */
  cache?: ReadCache;
  /** Where product images are kept. */
  images: ImageStore;
};

export async function buildApp({
  config,
  db,
  verify,
  verifyService,
  cache = noReadCache,
  images,
}: CatalogDeps): Promise<ServiceApp> {
  const app = await createServiceApp({
    name: 'catalog',
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    // Behind the gateway: the shopper's address, scheme and host (the sitemap's links) are what
    // it forwards.
    trustProxyHops: config.TRUST_PROXY_HOPS,
    readiness: { postgres: () => db.query('SELECT 1') },
    problemStatuses: problemStatuses,
  });
  // A strong ETag over each response body: a client that has it gets a 304 and no body.
  await app.register(etag);
  // Regions are read at most every 2 s: every price read and quote needs them.
  const regions = shopRegions(db, 2000);
  productRoutes(app, { db, cache, regions });
  categoryRoutes(app, { db });
  searchEngineRoutes(app, { db });
  adminProductRoutes(app, { db, cache, regions, verify });
  imageRoutes(app, { db, cache, images, verify });
  priceRoutes(app, { db, regions, verifyService });
  regionRoutes(app, { regions });
  adminRegionRoutes(app, { db, regions, verify });
  promotionRoutes(app, { db, verify, verifyService });
  const stopSweeper = startPromotionSweeper(db, {
    intervalMs: config.PROMOTION_SWEEP_INTERVAL_MS,
    log: app.log,
  });
  app.addHook('onClose', stopSweeper);
  return app;
}
