import { Type } from 'typebox';
import { describe, expect, test } from 'vitest';
import { baseConfig, parseConfig, portSetting, postgresUrlSetting } from '../src/config.js';

const schema = Type.Object({
  ...baseConfig,
  PORT: portSetting(8082),
  DATABASE_URL: postgresUrlSetting(),
});

describe('service configuration', () => {
  test('a missing required variable is named with what was expected', () => {
    expect(() => parseConfig(schema, {})).toThrow(
      'DATABASE_URL: missing, expected a postgres:// URL',
    );
  });

  test('a malformed value is named without echoing it', () => {
    expect(() => parseConfig(schema, { DATABASE_URL: 'mysql://root:secret@db/shop' })).toThrow(
      /^DATABASE_URL: expected a postgres:\/\/ URL$/,
    );
  });

  test('every bad variable is named on the one line', () => {
    expect(() =>
      parseConfig(schema, { DATABASE_URL: 'postgres://db/x', PORT: 'eighty', LOG_LEVEL: 'loud' }),
    ).toThrow(
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent; PORT: expected a TCP port (0-65535)',
    );
  });

  test('defaults fill what is unset, numbers are converted and the result is frozen', () => {
    const config = parseConfig(schema, { DATABASE_URL: 'postgres://db/x', PORT: '9000', HOST: '' });
    expect(config).toMatchObject({ PORT: 9000, HOST: '127.0.0.1', LOG_LEVEL: 'info' });
    expect(Object.isFrozen(config)).toBe(true);
  });
});
