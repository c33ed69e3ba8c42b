import { assertMigrated } from '@bazaar/db/migrations';
import { createPool } from '@bazaar/db/pool';
import { startServiceEvents } from '@bazaar/events/service-events';
import { identityVerifiers } from '@bazaar/service-kit/auth';
import { bootWarnings } from '@bazaar/service-kit/boot-warnings';
import { runService } from '@bazaar/service-kit/serve';
import { buildApp } from './app.js';
import { migrationsDirectory, readConfig } from './config.js';
import { notificationHandlers } from './domain/notify.js';
import { smtpMailer } from './domain/smtp-mailer.js';

await runService('notifications', async () => {
  const config = readConfig();
  const warnings = bootWarnings('notifications');
  const db = createPool(config.DATABASE_URL, {
    applicationName: 'notifications',
    onIdleClientError: (error) => warnings.warn(error, 'idle database connection failed'),
  });
  await assertMigrated(db, migrationsDirectory);
  const smtp = config.SMTP_URL ? smtpMailer(config.SMTP_URL, config.MAIL_FROM) : undefined;
  const app = await buildApp({
    config,
    db,
    verify: identityVerifiers(config).verify,
    ...(smtp ? { mailer: smtp.mail } : {}),
  });
  warnings.attach(app.log);
  const stopEvents = await startServiceEvents({
    name: 'notifications',
    config,
    db,
    log: app.log,
    metrics: app.metrics,
    publishes: false,
    handlers: notificationHandlers({
      shopUrl: config.SHOP_URL,
      alertEmail: config.ALERT_EMAIL,
      sending: smtp !== undefined,
    }),
  });
  app.addHook('onClose', async () => {
    await stopEvents();
    smtp?.close();
    await db.end();
  });
  return { app, config };
});
