import { busConfig } from '@bazaar/events/bus';
import { serviceMigrations } from '@bazaar/events/migrations';
import {
  baseConfig,
  devOnlyDefault,
  explicitInProductionSetting,
  identityUrlConfig,
  parseConfig,
  portSetting,
  postgresUrlSetting,
  tokenConfig,
} from '@bazaar/service-kit/config';
import { type Static, Type } from 'typebox';

const PaymentsConfig = Type.Object({
  ...baseConfig,
  ...tokenConfig,
  ...identityUrlConfig,
  PORT: portSetting(8086),
  DATABASE_URL: postgresUrlSetting(),
  ...busConfig,
  PAYMENT_PROVIDER: explicitInProductionSetting(
    Type.Enum(['test'], {
      default: 'test',
      description:
        'one of test (the built-in test mode: it approves every valid card but the decline cards, so a shop taking real money needs a provider of its own)',
    }),
  ),
  PAYMENT_WEBHOOK_SECRET: devOnlyDefault(
    Type.String({
      default: 'dev-only-webhook-secret-do-not-use',
      minLength: 24,
      description: 'the secret (24+ characters) the payment provider signs its webhooks with',
    }),
  ),
  PAYMENT_WEBHOOK_TOLERANCE_SECONDS: Type.Integer({
    default: 300,
    minimum: 30,
    maximum: 3600,
    description: 'how old a webhook signature may be, in seconds (30-3600)',
  }),
});

export type PaymentsConfig = Static<typeof PaymentsConfig>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Readonly<PaymentsConfig> {
  return parseConfig(PaymentsConfig, env);
}

export const migrations = serviceMigrations(new URL('../', import.meta.url));
