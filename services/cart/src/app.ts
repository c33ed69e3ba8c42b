import type { Pool } from '@bazaar/db/pool';
import { createServiceApp, type ServiceApp } from '@bazaar/service-kit/app';
import type { TokenVerifier } from '@bazaar/service-kit/auth';
import cookie from '@fastify/cookie';
import type { CartConfig } from './config.js';
import type { CartStore } from './domain/cart.js';
import { problemStatuses } from './domain/errors.js';
import type { Quotes } from './domain/ports.js';
import { cartRoutes } from './routes/cart-routes.js';

export type CartDeps = {
  config: Pick<CartConfig, 'LOG_LEVEL' | 'BODY_LIMIT_BYTES' | 'TRUST_PROXY_HOPS' | 'CART_TTL_DAYS'>;
  /** The service's database: the inbox, and the carts when there is no Redis. */
  db: Pool;
  store: CartStore;
  quotes: Quotes;
  verify: TokenVerifier;
  verifyService: TokenVerifier;
  /** Checked by /readyz besides PostgreSQL: Redis, when carts live there. */
  storeReady?: () => Promise<unknown>;
};

export async function buildApp(deps: CartDeps): Promise<ServiceApp> {
  const { config, db } = deps;
  const app = await createServiceApp({
    name: 'cart',
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    readiness: {
      postgres: () => db.query('SELECT 1'),
      ...(deps.storeReady ? { redis: deps.storeReady } : {}),
    },
    problemStatuses: problemStatuses,
  });
  await app.register(cookie);
  cartRoutes(app, { ...deps, ttlSeconds: config.CART_TTL_DAYS * 86_400 });
  return app;
}
