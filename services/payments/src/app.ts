import type { Pool } from '@bazaar/db/pool';
import { createServiceApp, type ServiceApp } from '@bazaar/service-kit/app';
import type { TokenVerifier } from '@bazaar/service-kit/auth';
import type { PaymentsConfig } from './config.js';
import { problemStatuses } from './domain/errors.js';
import { paymentRoutes } from './routes/payment-routes.js';
import { webhookRoutes } from './routes/webhook-routes.js';

export type PaymentsDeps = {
  config: Pick<
    PaymentsConfig,
    | 'LOG_LEVEL'
    | 'BODY_LIMIT_BYTES'
    | 'TRUST_PROXY_HOPS'
    | 'PAYMENT_WEBHOOK_SECRET'
    | 'PAYMENT_WEBHOOK_TOLERANCE_SECONDS'
  >;
  db: Pool;
  /** Checks service tokens for /internal calls. */
  verifyService: TokenVerifier;
};

export async function buildApp({ config, db, verifyService }: PaymentsDeps): Promise<ServiceApp> {
  const app = await createServiceApp({
    name: 'payments',
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    readiness: { postgres: () => db.query('SELECT 1') },
    problemStatuses: problemStatuses,
  });
  paymentRoutes(app, { db, verifyService });
  webhookRoutes(app, {
    db,
    secret: config.PAYMENT_WEBHOOK_SECRET,
    toleranceSeconds: config.PAYMENT_WEBHOOK_TOLERANCE_SECONDS,
  });
  return app;
}
