import type { Pool } from '@bazaar/db/pool';
import { createServiceApp, type ServiceApp } from '@bazaar/service-kit/app';
import type { TokenVerifier } from '@bazaar/service-kit/auth';
import type { NotificationsConfig } from './config.js';
import { type Mailer, startSender } from './domain/sender.js';
import { notificationRoutes } from './routes/notification-routes.js';

export type NotificationsDeps = {
  config: Pick<
    NotificationsConfig,
    'LOG_LEVEL' | 'BODY_LIMIT_BYTES' | 'TRUST_PROXY_HOPS' | 'SEND_INTERVAL_MS'
  >;
  db: Pool;
  verify: TokenVerifier;
  /** Sends through SMTP; without one, messages are only recorded and nothing is sent. */
  mailer?: Mailer;
};

export async function buildApp(deps: NotificationsDeps): Promise<ServiceApp> {
  const { config, db } = deps;
  const app = await createServiceApp({
    name: 'notifications',
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    readiness: { postgres: () => db.query('SELECT 1') },
  });
  notificationRoutes(app, deps);
  if (deps.mailer) {
    app.addHook(
      'onClose',
      startSender(db, deps.mailer, { intervalMs: config.SEND_INTERVAL_MS, log: app.log }),
    );
  }
  return app;
}
