import type { Pool } from '@bazaar/db/pool';
import { createServiceApp, type ServiceApp } from '@bazaar/service-kit/app';
import type { TokenVerifier } from '@bazaar/service-kit/auth';
import type { InventoryConfig } from './config.js';
import { problemStatuses } from './domain/errors.js';
import { startReservationSweeper } from './domain/reservation-sweeper.js';
import { reservationRoutes } from './routes/reservation-routes.js';
import { stockRoutes } from './routes/stock-routes.js';

export type InventoryDeps = {
  config: Pick<
    InventoryConfig,
    'LOG_LEVEL' | 'BODY_LIMIT_BYTES' | 'TRUST_PROXY_HOPS' | 'RESERVATION_SWEEP_INTERVAL_MS'
  >;
  db: Pool;
  /** Checks access tokens of shoppers and admins. */
  verify: TokenVerifier;
  /** Checks service tokens for /internal calls. */
  verifyService: TokenVerifier;
};

export async function buildApp(deps: InventoryDeps): Promise<ServiceApp> {
  const { config, db } = deps;
  const app = await createServiceApp({
    name: 'inventory',
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    readiness: { postgres: () => db.query('SELECT 1') },
    problemStatuses: problemStatuses,
  });
  stockRoutes(app, deps);
  reservationRoutes(app, deps);
  const stopSweeper = startReservationSweeper(db, {
    intervalMs: config.RESERVATION_SWEEP_INTERVAL_MS,
    log: app.log,
  });
  app.addHook('onClose', stopSweeper);
  return app;
}
