import { expect, test } from 'vitest';
import { readConfig } from '../src/config.js';

const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://payments@db/payments',
  BUS_DATABASE_URL: 'postgres://payments@db/bus',
  PAYMENT_WEBHOOK_SECRET: 'a-webhook-secret-of-the-shop-itself',
};

test('in production the test provider, which approves any valid card, is refused unless named', () => {
  expect(() => readConfig(production)).toThrow(
    /^PAYMENT_PROVIDER: must be set explicitly when NODE_ENV=production/,
  );
  expect(readConfig({ ...production, PAYMENT_PROVIDER: 'test' }).PAYMENT_PROVIDER).toBe('test');
  expect(() => readConfig({ ...production, PAYMENT_PROVIDER: 'stripe' })).toThrow(
    /^PAYMENT_PROVIDER: expected one of test/,
  );
});

test('on a laptop the test provider is the default', () => {
  const { NODE_ENV: _production, ...development } = production;
  expect(readConfig(development).PAYMENT_PROVIDER).toBe('test');
});
