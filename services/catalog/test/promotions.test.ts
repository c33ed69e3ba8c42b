import { randomUUID } from 'node:crypto';
import { waitFor } from '@bazaar/testing/until';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { type RunningCatalog, startCatalog } from './catalog-fixture.js';

let catalog: RunningCatalog;

beforeAll(async () => {
  catalog = await startCatalog(inject('postgresUrl'));
});

afterAll(() => catalog.close());

const call: RunningCatalog['send'] = (...args) => catalog.send(...args);
const internal = (url: string, payload?: object) =>
  call('POST', url, payload, catalog.serviceToken);
const newCode = (prefix = 'TEST') => `${prefix}${randomUUID().slice(0, 6).toUpperCase()}`;
const createCode = async (fields: object) => {
  const answer = await call('POST', '/api/admin/promotions', { code: newCode(), ...fields });
  expect(answer.statusCode, answer.body).toBe(201);
  return answer.json();
};
const quote = (region: string, lines: Array<[string, number]>, promotion?: object) =>
  internal('/internal/quotes', {
    region,
    lines: lines.map(([sku, quantity]) => ({ sku, quantity })),
    ...(promotion ? { promotion } : {}),
  });
const hold = (code: string, orderId = randomUUID(), customer = randomUUID(), ttlSeconds = 60) =>
  internal('/internal/promotion-uses', { orderId, code, customer, ttlSeconds });

const lamp = 'LGT-05-SND';
const book = 'BOK-01';

describe('admins make codes', () => {
  test('a code is kept upper-case and listed newest first with its uses', async () => {
    const code = newCode('spring');
    const created = await call('POST', '/api/admin/promotions', {
      code: code.toLowerCase(),
      kind: 'percentage',
      percent: 10,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      code: code.toUpperCase(),
      kind: 'percentage',
      percent: 10,
      uses: 0,
      active: true,
    });
    const listed = (await call('GET', '/api/admin/promotions?limit=5')).json();
    expect(listed.items[0].id).toBe(created.json().id);
  });

  test.each([
    ['a percentage without its percent', { kind: 'percentage' }, 'percent'],
    ['an amount off without a currency', { kind: 'fixed', amount: 500 }, 'currency'],
    [
      'an amount on a percentage',
      { kind: 'percentage', percent: 5, amount: 100, currency: 'GBP' },
      'amount',
    ],
    [
      'a currency that is not ISO 4217',
      { kind: 'fixed', amount: 500, currency: 'XYZ' },
      'currency',
    ],
    ['an unknown category', { kind: 'percentage', percent: 5, category: 'garage' }, 'category'],
    [
      'an end before the start',
      { kind: 'free_shipping', startsAt: '2026-05-01T00:00:00Z', endsAt: '2026-04-01T00:00:00Z' },
      'endsAt',
    ],
  ])('%s is a 422 naming the field', async (_case, fields, field) => {
    const answer = await call('POST', '/api/admin/promotions', { code: newCode(), ...fields });
    expect(answer.statusCode).toBe(422);
    expect(answer.json()).toMatchObject({
      code: 'invalid_promotion',
      errors: [expect.objectContaining({ field })],
    });
  });

  test('a code taken is a 409 naming it; only admins manage codes', async () => {
    const { code } = await createCode({ kind: 'free_shipping' });
    const again = await call('POST', '/api/admin/promotions', {
      code: code.toLowerCase(),
      kind: 'free_shipping',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'code_taken', errors: [{ field: 'code' }] });
    expect(
      (await call('GET', '/api/admin/promotions', undefined, catalog.customerToken)).statusCode,
    ).toBe(403);
  });
});

describe('a code in a quote', () => {
  test('a percentage off every line, in any region', async () => {
    const { code } = await createCode({ kind: 'percentage', percent: 10 });
    const body = (await quote('uk', [[lamp, 2]], { code: code.toLowerCase() })).json();
    const lineTotal = body.lines[0].lineTotal.amount;
    expect(body.promotion).toMatchObject({ code });
    expect(body.discount.amount).toBe(Math.floor((2 * lineTotal * 10 + 100) / 200));
    expect(body.total.amount).toBe(
      body.subtotal.amount - body.discount.amount + body.shipping.amount,
    );
  });

  test('an amount off a category takes nothing off other lines', async () => {
    const { code } = await createCode({
      kind: 'fixed',
      amount: 500,
      currency: 'EUR',
      category: 'books',
    });
    const body = (
      await quote(
        'eu',
        [
          [lamp, 1],
          [book, 1],
        ],
        { code },
      )
    ).json();
    const [lampLine, bookLine] = body.lines;
    expect(lampLine.discount.amount).toBe(0);
    expect(bookLine.discount.amount).toBe(500);
    expect(body.discount).toEqual({ amount: 500, currency: 'EUR' });
  });

  test('free shipping makes shipping 0', async () => {
    const { code } = await createCode({ kind: 'free_shipping' });
    const paid = (await quote('us', [[book, 1]])).json();
    expect(paid.shipping.amount).toBeGreaterThan(0);
    expect((await quote('us', [[book, 1]], { code })).json().shipping.amount).toBe(0);
  });

  test.each([
    [
      'unknown',
      () => Promise.resolve('NOSUCHCODE'),
      'uk',
      'promotion_unknown',
      /There is no code NOSUCHCODE/,
    ],
    [
      'paused',
      async () => (await createCode({ kind: 'free_shipping', active: false })).code,
      'uk',
      'promotion_unknown',
      /There is no code/,
    ],
    [
      'expired',
      async () =>
        (
          await createCode({
            kind: 'free_shipping',
            startsAt: '2025-01-01T00:00:00Z',
            endsAt: '2025-02-01T00:00:00Z',
          })
        ).code,
      'uk',
      'promotion_expired',
      /ended on 2025-02-01/,
    ],
    [
      'not started',
      async () =>
        (await createCode({ kind: 'free_shipping', startsAt: '2099-01-01T00:00:00Z' })).code,
      'uk',
      'promotion_not_started',
      /starts on 2099-01-01/,
    ],
    [
      'for another currency',
      async () => (await createCode({ kind: 'fixed', amount: 500, currency: 'USD' })).code,
      'uk',
      'promotion_not_in_region',
      /for orders in USD, not GBP/,
    ],
    [
      'below its minimum',
      async () =>
        (
          await createCode({
            kind: 'percentage',
            percent: 5,
            currency: 'GBP',
            minSubtotal: 1_000_000,
          })
        ).code,
      'uk',
      'promotion_below_minimum',
      /Spend £10,000.00 or more/,
    ],
    [
      'for a category not in the cart',
      async () => (await createCode({ kind: 'percentage', percent: 5, category: 'books' })).code,
      'uk',
      'promotion_not_applicable',
      /for books only/,
    ],
  ])(
    'a code %s is a 422 that says why, naming the code',
    async (_case, make, region, problem, detail) => {
      const answer = await quote(region, [[lamp, 1]], { code: await make() });
      expect(answer.statusCode).toBe(422);
      expect(answer.json()).toMatchObject({ code: problem, errors: [{ field: 'code' }] });
      expect(answer.json().detail).toMatch(detail);
    },
  );
});

describe('uses held at checkout, like stock', () => {
  test('50 checkouts racing for a code limited to 10 uses: exactly 10 hold one', async () => {
    const { code, id } = await createCode({ kind: 'percentage', percent: 20, usageLimit: 10 });
    const answers = await Promise.all(Array.from({ length: 50 }, () => hold(code)));
    const outcomes = answers.map((answer) => answer.json());
    expect(outcomes.filter((outcome) => outcome.held)).toHaveLength(10);
    expect(new Set(outcomes.filter((o) => !o.held).map((o) => o.reason))).toEqual(
      new Set(['used_up']),
    );
    expect((await call('GET', `/api/admin/promotions/${id}`)).json().uses).toBe(10);
    expect((await quote('uk', [[lamp, 1]], { code })).json()).toMatchObject({
      code: 'promotion_used_up',
    });
  });

  test('a failed checkout gives its use back; a placed one keeps it; each answer repeats', async () => {
    const { code, id } = await createCode({ kind: 'free_shipping', usageLimit: 1 });
    const failed = randomUUID();
    expect((await hold(code, failed)).json()).toEqual({ held: true });
    expect((await hold(code, failed)).json()).toEqual({ held: true });
    expect((await hold(code)).json()).toEqual({ held: false, reason: 'used_up' });
    expect((await internal(`/internal/promotion-uses/${failed}/release`)).statusCode).toBe(204);
    expect((await internal(`/internal/promotion-uses/${failed}/release`)).statusCode).toBe(204);
    expect((await hold(code, failed)).json()).toEqual({ held: false, reason: 'released' });
    const placed = randomUUID();
    expect((await hold(code, placed)).json()).toEqual({ held: true });
    expect((await internal(`/internal/promotion-uses/${placed}/commit`)).json()).toEqual({
      committed: true,
    });
    expect((await internal(`/internal/promotion-uses/${placed}/commit`)).json()).toEqual({
      committed: true,
    });
    expect((await call('GET', `/api/admin/promotions/${id}`)).json().uses).toBe(1);
  });

  test('a customer over the per-customer limit is refused, in the quote and at the hold', async () => {
    const { code } = await createCode({ kind: 'percentage', percent: 5, perCustomerLimit: 1 });
    const customer = randomUUID();
    const first = randomUUID();
    expect((await hold(code, first, customer)).json()).toEqual({ held: true });
    await internal(`/internal/promotion-uses/${first}/commit`);
    expect((await hold(code, randomUUID(), customer)).json()).toEqual({
      held: false,
      reason: 'customer_limit',
    });
    expect((await quote('uk', [[lamp, 1]], { code, customer })).json()).toMatchObject({
      code: 'promotion_customer_limit',
    });
    expect((await hold(code, randomUUID(), randomUUID())).json()).toEqual({ held: true });
  });

  test('a use counted at once (commit) has no hold to run out: the sweeper leaves it, a commit and a repeat answer as placed, a release gives it back', async () => {
    const { code, id } = await createCode({ kind: 'free_shipping', usageLimit: 1 });
    const orderId = randomUUID();
    const take = () =>
      internal('/internal/promotion-uses', { orderId, code, customer: randomUUID(), commit: true });
    expect((await take()).json()).toEqual({ held: true });
    const { rows } = await catalog.db.query(
      'SELECT status FROM promotion_uses WHERE order_id = $1',
      [orderId],
    );
    expect(rows).toEqual([{ status: 'committed' }]);
    // Its expiry (the default 900 s) put in the past: the sweeper, every 100 ms here, passes it by.
    await catalog.db.query(
      `UPDATE promotion_uses SET expires_at = now() - interval '1 hour' WHERE order_id = $1`,
      [orderId],
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await call('GET', `/api/admin/promotions/${id}`)).json().uses).toBe(1);
    expect((await take()).json()).toEqual({ held: true });
    expect((await internal(`/internal/promotion-uses/${orderId}/commit`)).json()).toEqual({
      committed: true,
    });
    expect((await hold(code)).json()).toEqual({ held: false, reason: 'used_up' });
    expect((await internal(`/internal/promotion-uses/${orderId}/release`)).statusCode).toBe(204);
    expect((await call('GET', `/api/admin/promotions/${id}`)).json().uses).toBe(0);
  });

  test('a hold its checkout left to expire is released by the sweeper, and can no longer be committed', async () => {
    const { code, id } = await createCode({ kind: 'free_shipping', usageLimit: 5 });
    const orderId = randomUUID();
    expect((await hold(code, orderId, randomUUID(), 1)).json()).toEqual({ held: true });
    await waitFor(
      async () => (await call('GET', `/api/admin/promotions/${id}`)).json().uses,
      (uses) => uses === 0,
      { timeoutMs: 5000 },
    );
    expect((await internal(`/internal/promotion-uses/${orderId}/commit`)).json()).toEqual({
      committed: false,
    });
  });
});
