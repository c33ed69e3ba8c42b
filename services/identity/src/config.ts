import { busConfig } from '@bazaar/events/bus';
import { serviceMigrations } from '@bazaar/events/migrations';
import {
  baseConfig,
  devOnlyDefault,
  parseConfig,
  portSetting,
  postgresUrlSetting,
  tokenConfig,
} from '@bazaar/service-kit/config';
import { type Static, Type } from 'typebox';

const IdentityConfig = Type.Object({
  ...baseConfig,
  ...tokenConfig,
  PORT: portSetting(8081),
  DATABASE_URL: postgresUrlSetting(),
  ...busConfig,
  ACCESS_TOKEN_TTL_SECONDS: Type.Integer({
    default: 900,
    minimum: 60,
    maximum: 3600,
    description: 'access token lifetime in seconds (60-3600)',
  }),
  REFRESH_TOKEN_TTL_DAYS: Type.Integer({
    default: 30,
    minimum: 1,
    maximum: 365,
    description: 'refresh token lifetime in days (1-365)',
  }),
  SIGNING_KEY_SECRET: devOnlyDefault(
    Type.String({
      default: 'dev-only-signing-key-secret-do-not-use',
      minLength: 32,
      description: 'a secret of at least 32 characters that seals the signing keys at rest',
    }),
  ),
  ADMIN_EMAIL: devOnlyDefault(
    Type.String({
      default: 'admin@bazaar.local',
      pattern: '^[^\\s@]+@[^\\s@]+$',
      description: 'the email of the admin account made at first start',
    }),
  ),
  ADMIN_PASSWORD: devOnlyDefault(
    Type.String({
      default: 'bazaar-admin-dev',
      minLength: 10,
      description: 'the password of the admin account made at first start (10+ characters)',
    }),
  ),
  SERVICE_CLIENTS: devOnlyDefault(
    Type.String({
      default: '',
      pattern: '^([a-z][a-z0-9-]*:[^,:\\s]{16,})?(,[a-z][a-z0-9-]*:[^,:\\s]{16,})*$',
      description:
        'service credentials as name:secret pairs, comma-separated, secrets 16+ characters',
    }),
  ),
  ARGON2_MEMORY_KIB: Type.Integer({
    default: 19_456,
    minimum: 8192,
    description: 'argon2id memory cost in KiB (at least 8192)',
  }),
  ARGON2_TIME_COST: Type.Integer({
    default: 2,
    minimum: 1,
    maximum: 10,
    description: 'argon2id passes (1-10)',
  }),
  LOGIN_FAILURES_BEFORE_DELAY: Type.Integer({
    default: 5,
    minimum: 1,
    description:
      'failed sign-ins to one account from one address before each further one waits longer (1 s, then doubling)',
  }),
  LOGIN_MAX_FAILURES_PER_IP: Type.Integer({
    default: 20,
    minimum: 1,
    description: 'failed sign-ins from one address before it is throttled',
  }),
  LOGIN_THROTTLE_SECONDS: Type.Integer({
    default: 900,
    minimum: 1,
    description:
      'the window failures are counted in, the wait of a throttled address and the longest delay, in seconds',
  }),
});

export type IdentityConfig = Static<typeof IdentityConfig>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Readonly<IdentityConfig> {
  return parseConfig(IdentityConfig, env);
}

export const migrations = serviceMigrations(new URL('../', import.meta.url));
export const commonPasswordsFile = new URL('../data/common-passwords.txt', import.meta.url);
