import type { Pool } from '@bazaar/db/pool';
import { createServiceApp, type ServiceApp } from '@bazaar/service-kit/app';
import type { TokenVerifier } from '@bazaar/service-kit/auth';
import type { OrdersConfig } from './config.js';
import { checkoutMetrics } from './domain/checkout-metrics.js';
import { problemStatuses } from './domain/errors.js';
import type { Neighbours } from './domain/ports.js';
import { startOrderSweeper } from './domain/recover-orders.js';
import { orderRoutes } from './routes/order-routes.js';
import { returnRoutes } from './routes/return-routes.js';

export type OrdersDeps = {
  config: Pick<
    OrdersConfig,
    | 'LOG_LEVEL'
    | 'BODY_LIMIT_BYTES'
    | 'TRUST_PROXY_HOPS'
    | 'ORDER_SWEEP_INTERVAL_MS'
    | 'PENDING_GRACE_SECONDS'
  >;
  db: Pool;
  services: Neighbours;
  verify: TokenVerifier;
};

export async function buildApp(deps: OrdersDeps): Promise<ServiceApp> {
  const { config, db, services } = deps;
  const app = await createServiceApp({
    name: 'orders',
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    readiness: { postgres: () => db.query('SELECT 1') },
    problemStatuses: problemStatuses,
  });
  const metrics = checkoutMetrics(app.metrics);
  orderRoutes(app, { db, services, metrics, verify: deps.verify });
  returnRoutes(app, { db, services, verify: deps.verify });
  const stopSweeper = startOrderSweeper(
    { db, services },
    {
      onRecovered: metrics.recovered,
      intervalMs: config.ORDER_SWEEP_INTERVAL_MS,
      graceSeconds: config.PENDING_GRACE_SECONDS,
      log: app.log,
    },
  );
  app.addHook('onClose', stopSweeper);
  return app;
}
