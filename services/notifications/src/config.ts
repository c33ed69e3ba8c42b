import { busConfig } from '@bazaar/events/bus';
import { serviceMigrations } from '@bazaar/events/migrations';
import {
  baseConfig,
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
    default: 1000,
    minimum: 50,
    description: 'milliseconds between looks for messages to send (at least 50)',
  }),
});

export type NotificationsConfig = Static<typeof NotificationsConfig>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Readonly<NotificationsConfig> {
  return parseConfig(NotificationsConfig, env);
}

export const migrations = serviceMigrations(new URL('../', import.meta.url));
