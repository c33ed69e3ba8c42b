import { type Static, type TObject, type TProperties, Type } from 'typebox';
import { Value } from 'typebox/value';

/** Raised at boot when the environment does not match a service's config schema. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads the variables named in `schema` from `env`, applies defaults, converts numbers and
 * booleans, and returns a frozen, typed object. Each property's `description` says what is
 * expected, so that the one-line error reads `PORT: expected a TCP port (1-65535)`.
 */
export function parseConfig<T extends TObject>(
  schema: T,
  env: Record<string, string | undefined>,
): Readonly<Static<T>> {
  const raw: Record<string, string> = {};
  for (const name of Object.keys(schema.properties)) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  const given = new Set(Object.keys(raw));
  const candidate = Value.Convert(schema, Value.Default(schema, raw)) as Record<string, unknown>;
  const required = new Set<string>(schema.required ?? []);
  const problems: string[] = [];
  const production = candidate.NODE_ENV === 'production';
  for (const [name, property] of Object.entries(schema.properties)) {
    const { description, default: fallback } = property as {
      description?: string;
      default?: unknown;
    };
    const expected = description ?? 'a valid value';
    if (candidate[name] === undefined) {
      if (required.has(name)) problems.push(`${name}: missing, expected ${expected}`);
    } else if (!Value.Check(property, candidate[name])) {
      problems.push(`${name}: expected ${expected}`);
    } else if (production && devOnlyDefaults.has(property) && candidate[name] === fallback) {
      problems.push(`${name}: the dev-only default is refused when NODE_ENV=production`);
    } else if (production && devOnlySwitches.has(property) && candidate[name] === true) {
      problems.push(`${name}: dev-only, refused when NODE_ENV=production`);
    } else if (production && explicitInProduction.has(property) && !given.has(name)) {
      problems.push(`${name}: must be set explicitly when NODE_ENV=production, to ${expected}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
  return Object.freeze(candidate as Static<T>);
}

const devOnlyDefaults = new WeakSet<object>();

/**
 * Marks a setting's default as fit for a laptop only (a known password, a published secret):
 * with NODE_ENV=production the process refuses to start until the setting is given another value.
 */
export function devOnlyDefault<T extends object>(setting: T): T {
  devOnlyDefaults.add(setting);
  return setting;
}

const devOnlySwitches = new WeakSet<object>();

/**
 * Marks a boolean setting that may be on only outside production (reaching internal addresses on
 * a laptop): with NODE_ENV=production the process refuses to start while it is true.
 */
export function devOnlySwitch<T extends object>(setting: T): T {
  devOnlySwitches.add(setting);
  return setting;
}

const explicitInProduction = new WeakSet<object>();

/**
 * Marks a setting whose default is a choice production must make on purpose (the test payment
 * provider, which approves any valid card): with NODE_ENV=production it must be given, even if
 * to the default's value.
 */
export function explicitInProductionSetting<T extends object>(setting: T): T {
  explicitInProduction.add(setting);
  return setting;
}

/** Settings every service reads. */
export const baseConfig = {
  NODE_ENV: Type.Enum(['development', 'test', 'production'], {
    default: 'development',
    description: 'one of development, test, production',
  }),
  HOST: Type.String({ default: '127.0.0.1', minLength: 1, description: 'an interface address' }),
  METRICS_PORT: Type.Integer({
    default: 9464,
    minimum: 0,
    maximum: 65535,
    description: 'the TCP port of /metrics, apart from the service port (0-65535)',
  }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    default: 'info',
    description: 'one of fatal, error, warn, info, debug, trace, silent',
  }),
  BODY_LIMIT_BYTES: Type.Integer({
    default: 1_048_576,
    minimum: 1024,
    description: 'a request body limit in bytes (at least 1024)',
  }),
  TRUST_PROXY_HOPS: Type.Integer({
    default: 0,
    minimum: 0,
    maximum: 5,
    description: 'how many proxies in front may set X-Forwarded-For (0-5)',
  }),
  SHUTDOWN_DRAIN_MS: Type.Integer({
    default: 5_000,
    minimum: 0,
    description:
      'milliseconds a stopping service goes on serving, each answer with connection: close, before it stops listening (0 or more)',
  }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({
    default: 10_000,
    minimum: 100,
    description: 'milliseconds to finish in-flight requests on shutdown (at least 100)',
  }),
} satisfies TProperties;

/**
 * Tracing, read by the preload (`--import` of `dist/tracing.js`) before the service's own code
 * loads. The OpenTelemetry SDK reads its other standard variables (`OTEL_TRACES_SAMPLER`,
 * `OTEL_BSP_SCHEDULE_DELAY`, `OTEL_RESOURCE_ATTRIBUTES`, …) itself.
 */
export const tracingConfig = {
  OTEL_EXPORTER_OTLP_ENDPOINT: Type.Optional(
    httpUrlSetting(
      undefined,
      'an http:// or https:// URL of an OTLP/HTTP receiver: spans go there',
    ),
  ),
  OTEL_SERVICE_NAME: Type.Optional(
    Type.String({
      pattern: '^[a-z][a-z0-9-]*$',
      description: 'the service name spans carry (lower-case letters, digits and -)',
    }),
  ),
} satisfies TProperties;

/** What identity's tokens say: identity signs with these values and every service checks them. */
export const tokenConfig = {
  TOKEN_ISSUER: Type.String({
    default: 'bazaar-identity',
    minLength: 1,
    description: 'the iss claim of tokens identity signs',
  }),
  TOKEN_AUDIENCE: Type.String({
    default: 'bazaar',
    minLength: 1,
    description: 'the aud claim of access tokens for the public API',
  }),
  SERVICE_TOKEN_AUDIENCE: Type.String({
    default: 'bazaar-internal',
    minLength: 1,
    description: 'the aud claim of service tokens for /internal calls',
  }),
} satisfies TProperties;

/** Where a service that checks tokens finds identity, whose JWKS holds the keys. */
export const identityUrlConfig = {
  IDENTITY_URL: httpUrlSetting('http://127.0.0.1:8081'),
} satisfies TProperties;

/** The credentials a service calling /internal routes exchanges at identity for service tokens. */
export function serviceClientConfig(clientId: string) {
  return {
    SERVICE_CLIENT_ID: Type.String({
      default: clientId,
      pattern: '^[a-z][a-z0-9-]*$',
      description: "this service's client id at identity (one of its SERVICE_CLIENTS)",
    }),
    SERVICE_CLIENT_SECRET: Type.String({
      minLength: 16,
      description: "this service's client secret at identity, 16+ characters (npm start makes one)",
    }),
  } satisfies TProperties;
}

export function portSetting(defaultPort: number) {
  return Type.Integer({
    default: defaultPort,
    minimum: 0,
    maximum: 65535,
    description: 'a TCP port (0-65535)',
  });
}

/** An optional redis:// URL; `purpose` says what the service keeps there. */
export function redisUrlSetting(purpose: string) {
  return Type.Optional(
    Type.String({ pattern: '^rediss?://[^\\s]+$', description: `a redis:// URL, ${purpose}` }),
  );
}

export function postgresUrlSetting() {
  return Type.String({
    pattern: '^postgres(ql)?://[^\\s]+$',
    description: 'a postgres:// URL',
  });
}

export function httpUrlSetting(defaultUrl?: string, description = 'an http:// or https:// URL') {
  return Type.String({
    pattern: '^https?://[^\\s]+$',
    description,
    ...(defaultUrl === undefined ? {} : { default: defaultUrl }),
  });
}
