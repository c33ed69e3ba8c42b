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
  const candidate = Value.Convert(schema, Value.Default(schema, raw)) as Record<string, unknown>;
  const required = new Set<string>(schema.required ?? []);
  const problems: string[] = [];
  for (const [name, property] of Object.entries(schema.properties)) {
    const expected = (property as { description?: string }).description ?? 'a valid value';
    if (candidate[name] === undefined) {
      if (required.has(name)) problems.push(`${name}: missing, expected ${expected}`);
    } else if (!Value.Check(property, candidate[name])) {
      problems.push(`${name}: expected ${expected}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
  return Object.freeze(candidate as Static<T>);
}

/** Settings every service reads. */
export const baseConfig = {
  NODE_ENV: Type.Enum(['development', 'test', 'production'], {
    default: 'development',
    description: 'one of development, test, production',
  }),
  HOST: Type.String({ default: '127.0.0.1', minLength: 1, description: 'an interface address' }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    default: 'info',
    description: 'one of fatal, error, warn, info, debug, trace, silent',
  }),
  BODY_LIMIT_BYTES: Type.Integer({
    default: 1_048_576,
    minimum: 1024,
    description: 'a request body limit in bytes (at least 1024)',
  }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({
    default: 10_000,
    minimum: 100,
    description: 'milliseconds to finish in-flight requests on shutdown (at least 100)',
  }),
} satisfies TProperties;

export function portSetting(defaultPort: number) {
  return Type.Integer({
    default: defaultPort,
    minimum: 0,
    maximum: 65535,
    description: 'a TCP port (0-65535)',
  });
}

export function postgresUrlSetting() {
  return Type.String({
    pattern: '^postgres(ql)?://[^\\s]+$',
    description: 'a postgres:// URL',
  });
}

export function httpUrlSetting(defaultUrl?: string) {
  return Type.String({
    pattern: '^https?://[^\\s]+$',
    description: 'an http:// or https:// URL',
    ...(defaultUrl === undefined ? {} : { default: defaultUrl }),
  });
}
