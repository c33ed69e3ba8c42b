import { EventEmitter } from 'node:events';
import { identityVerifiers } from '@bazaar/service-kit/auth';
import { runDatabaseService } from '@bazaar/service-kit/database-service';
import { buildApp } from './app.js';
import { migrations, readConfig } from './config.js';
import { smtpMailer } from './domain/smtp-mailer.js';
import { eventHandlers } from './events/index.js';

await runDatabaseService('notifications', {
  readConfig,
  migrations,
  build: async ({ config, db }) => {
    const smtp = config.SMTP_URL ? smtpMailer(config.SMTP_URL, config.MAIL_FROM) : undefined;
    const queued = new EventEmitter();
    return {
      app: await buildApp({
        config,
        db,
        verify: identityVerifiers(config).verify,
        ...(smtp ? { mailer: smtp.mail } : {}),
        queued,
      }),
      // Every event it handles queues a mail or a webhook, or both.
      afterApplied: async () => {
        queued.emit('queued');
      },
      publishes: false,
      handlers: eventHandlers({
        shopUrl: config.SHOP_URL,
        alertEmail: config.ALERT_EMAIL,
        sending: smtp !== undefined,
      }),
      close: async () => smtp?.close(),
    };
  },
});
