import type { EventEmitter } from 'node:events';
import type { Pool } from '@bazaar/db/pool';
import { createServiceApp, type ServiceApp } from '@bazaar/service-kit/app';
import type { TokenVerifier } from '@bazaar/service-kit/auth';
import type { NotificationsConfig } from './config.js';
import { problemStatuses } from './domain/errors.js';
import { type Mailer, startSender } from './domain/sender.js';
import { webhookDisabled } from './domain/templates.js';
import { startWebhookSender } from './domain/webhook-sender.js';
import { notificationRoutes } from './routes/notification-routes.js';
import { webhookRoutes } from './routes/webhook-routes.js';
import { recordNotice } from './store/notice-store.js';

export type NotificationsDeps = {
  config: Pick<
    NotificationsConfig,
    | 'LOG_LEVEL'
    | 'BODY_LIMIT_BYTES'
    | 'TRUST_PROXY_HOPS'
    | 'SEND_INTERVAL_MS'
    | 'SHOP_URL'
    | 'ALERT_EMAIL'
    | 'WEBHOOK_ALLOW_INTERNAL_TARGETS'
    | 'WEBHOOK_INTERVAL_MS'
    | 'WEBHOOK_TIMEOUT_MS'
    | 'WEBHOOK_RETRY_BASE_MS'
    | 'WEBHOOK_RETRY_CAP_MS'
    | 'WEBHOOK_PROBE_CAP_MS'
    | 'WEBHOOK_GIVE_UP_AFTER_MS'
    | 'WEBHOOK_LOG_RETENTION_DAYS'
  >;
  db: Pool;
  verify: TokenVerifier;
  /** Sends through SMTP; without one, messages are only recorded and nothing is sent. */
  mailer?: Mailer;
  /**
   * Emits `queued` when the events (or a webhook replay) have just queued mail or webhooks: the
   * senders look at once, rather than at their next interval, which is only a fallback (and the
   * pace of retries).
   */
  queued: EventEmitter;
};

export async function buildApp(deps: NotificationsDeps): Promise<ServiceApp> {
  const { config, db } = deps;
  const app = await createServiceApp({
    name: 'notifications',
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    readiness: { postgres: () => db.query('SELECT 1') },
    problemStatuses,
  });
  notificationRoutes(app, deps);
  const webhooks = startWebhookSender(
    db,
    {
      intervalMs: config.WEBHOOK_INTERVAL_MS,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      retryBaseMs: config.WEBHOOK_RETRY_BASE_MS,
      retryCapMs: config.WEBHOOK_RETRY_CAP_MS,
      probeCapMs: config.WEBHOOK_PROBE_CAP_MS,
      giveUpAfterMs: config.WEBHOOK_GIVE_UP_AFTER_MS,
      retentionDays: config.WEBHOOK_LOG_RETENTION_DAYS,
      allowInternal: config.WEBHOOK_ALLOW_INTERNAL_TARGETS,
      concurrency: 32,
      perSubscription: 8,
    },
    {
      log: app.log,
      metrics: app.metrics,
      // The shop's alert address is told, by mail when there is SMTP, in the mail log always.
      alert: (trx, given) =>
        recordNotice(trx, {
          message: {
            eventId: given.deliveryId,
            kind: 'webhook_disabled',
            to: config.ALERT_EMAIL,
            status: config.ALERT_EMAIL && deps.mailer ? 'queued' : 'recorded',
            ...webhookDisabled(given, config.SHOP_URL),
          },
        }),
    },
  );
  app.addHook('onClose', webhooks);
  deps.queued.on('queued', webhooks.wake);
  webhookRoutes(app, { ...deps, allowInternal: config.WEBHOOK_ALLOW_INTERNAL_TARGETS });
  if (deps.mailer) {
    const sender = startSender(db, deps.mailer, {
      intervalMs: config.SEND_INTERVAL_MS,
      log: app.log,
    });
    app.addHook('onClose', sender);
    deps.queued.on('queued', sender.wake);
  }
  return app;
}
