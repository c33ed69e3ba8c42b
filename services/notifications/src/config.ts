import { busConfig } from '@bazaar/events/bus';
import { serviceMigrations } from '@bazaar/events/migrations';
import {
  baseConfig,
  devOnlySwitch,
  httpUrlSetting,
  identityUrlConfig,
  parseConfig,
  portSetting,
  postgresUrlSetting,
  tokenConfig,
} from '@bazaar/service-kit/config';
import { type Static, Type } from 'typebox';

const NotificationsConfig = Type.Object({
  ...baseConfig,
  ...tokenConfig,
  ...identityUrlConfig,
  PORT: portSetting(8087),
  DATABASE_URL: postgresUrlSetting(),
  ...busConfig,
  SMTP_URL: Type.Optional(
    Type.String({
      pattern: '^smtps?://[^\\s]+$',
      description: 'an smtp:// or smtps:// URL to send through (unset: messages are only recorded)',
    }),
  ),
  MAIL_FROM: Type.String({
    default: 'Bazaar <shop@bazaar.local>',
    minLength: 3,
    description: 'the From of every message',
  }),
  SHOP_URL: httpUrlSetting('http://localhost:8080'),
  ALERT_EMAIL: Type.Optional(
    Type.String({
      pattern: '^[^\\s@]+@[^\\s@]+$',
      description: 'where low-stock alerts go (unset: recorded only)',
    }),
  ),
  SEND_INTERVAL_MS: Type.Integer({
    default: 2000,
    minimum: 50,
    description:
      'milliseconds between looks for messages to send besides those the events just queued, which go at once: a fallback, and the pace of retries (at least 50)',
  }),
  WEBHOOK_ALLOW_INTERNAL_TARGETS: devOnlySwitch(
    Type.Boolean({
      default: false,
      description:
        'true lets webhooks reach loopback and private addresses over http too (dev-only: npm start and tests)',
    }),
  ),
  WEBHOOK_INTERVAL_MS: Type.Integer({
    default: 5000,
    minimum: 20,
    description:
      'milliseconds between looks for webhooks to deliver besides those the events just queued, which go at once: a fallback, and for retries coming due (at least 20)',
  }),
  WEBHOOK_TIMEOUT_MS: Type.Integer({
    default: 10_000,
    minimum: 100,
    maximum: 60_000,
    description: 'milliseconds a receiver has to answer a delivery (100-60000)',
  }),
  WEBHOOK_RETRY_BASE_MS: Type.Integer({
    default: 30_000,
    minimum: 10,
    description: 'milliseconds before the first retry, doubled after each failure (at least 10)',
  }),
  WEBHOOK_RETRY_CAP_MS: Type.Integer({
    default: 1_800_000,
    minimum: 10,
    description: 'the longest wait between two attempts, in milliseconds (at least 10)',
  }),
  WEBHOOK_PROBE_CAP_MS: Type.Integer({
    default: 60_000,
    minimum: 10,
    description:
      'the longest wait between two tries of a failing receiver, in milliseconds (at least 10): how soon one that is back catches up',
  }),
  WEBHOOK_GIVE_UP_AFTER_MS: Type.Integer({
    default: 259_200_000,
    minimum: 100,
    description:
      "milliseconds from a delivery's first attempt after which it is given up and its subscription disabled (72 h by default)",
  }),
  WEBHOOK_LOG_RETENTION_DAYS: Type.Integer({
    default: 30,
    minimum: 1,
    maximum: 3650,
    description: 'days the delivery log and the events for replays are kept (1-3650)',
  }),
});

export type NotificationsConfig = Static<typeof NotificationsConfig>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Readonly<NotificationsConfig> {
  return parseConfig(NotificationsConfig, env);
}

export const migrations = serviceMigrations(new URL('../', import.meta.url));
