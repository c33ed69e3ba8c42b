import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@bazaar/db/test-database';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { createTokenVerifier } from '@bazaar/service-kit/auth';
import { createTestTokens } from '@bazaar/testing/test-tokens';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { buildApp } from '../src/app.js';
import { migrations } from '../src/config.js';
import { signWebhook } from '../src/domain/webhook-signature.js';

const secret = 'webhook-secret-for-the-tests';
let database: TestDatabase;
let app: ServiceApp;
let serviceToken: string;
let customerToken: string;

beforeAll(async () => {
  database = await createTestDatabase(inject('postgresUrl'), { migrations: migrations });
  const tokens = await createTestTokens();
  app = await buildApp({
    config: {
      LOG_LEVEL: 'silent',
      BODY_LIMIT_BYTES: 1_048_576,
      TRUST_PROXY_HOPS: 0,
      PAYMENT_WEBHOOK_SECRET: secret,
      PAYMENT_WEBHOOK_TOLERANCE_SECONDS: 300,
    },
    db: database.pool,
    verifyService: createTokenVerifier({
      keys: tokens.keys,
      issuer: tokens.issuer,
      audience: 'bazaar-internal',
    }),
  });
  serviceToken = await tokens.sign({ role: 'service', audience: 'bazaar-internal' });
  customerToken = await tokens.sign({ role: 'customer', audience: 'bazaar' });
});

afterAll(async () => {
  await app.close();
  await database.drop();
});

/** A typed-in card is good through December 2034 with a 3-digit code, unless told otherwise. */
function authorize(
  card: { number: string; expiry?: object; cvc?: string } | { token: string },
  orderId = randomUUID(),
  amount = 2599,
  capture?: boolean,
) {
  const typedIn = 'number' in card ? { expiry: { month: 12, year: 2034 }, cvc: '123' } : {};
  return app.inject({
    method: 'POST',
    url: '/internal/payments',
    headers: { authorization: `Bearer ${serviceToken}` },
    payload: {
      orderId,
      amount,
      currency: 'USD',
      card: { ...typedIn, ...card },
      ...(capture === undefined ? {} : { capture }),
    },
  });
}

function act(orderId: string, action: 'capture' | 'void' | 'refund') {
  return app.inject({
    method: 'POST',
    url: `/internal/payments/${orderId}/${action}`,
    headers: { authorization: `Bearer ${serviceToken}` },
  });
}

const outbox = async (orderId: string) =>
  (
    await database.pool.query('SELECT type FROM outbox WHERE subject = $1 ORDER BY created_at', [
      orderId,
    ])
  ).rows.map((row) => row.type);

describe('the test provider', () => {
  test('4242 4242 4242 4242 is authorized; only the last four digits are kept', async () => {
    const orderId = randomUUID();
    const response = await authorize({ number: '4242 4242 4242 4242' }, orderId);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      orderId,
      status: 'authorized',
      amount: 2599,
      currency: 'USD',
      cardBrand: 'visa',
      cardLast4: '4242',
    });
    const { rows } = await database.pool.query('SELECT * FROM payments WHERE order_id = $1', [
      orderId,
    ]);
    expect(JSON.stringify(rows)).not.toContain('4242424242424242');
    expect(await outbox(orderId)).toEqual(['payment.authorized.v1']);
  });

  test('4000 0000 0000 0002 is declined with 402; the same request again gets the same answer', async () => {
    const orderId = randomUUID();
    const first = await authorize({ number: '4000000000000002' }, orderId);
    expect(first.statusCode).toBe(402);
    expect(first.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(first.json()).toMatchObject({ code: 'card_declined', declineCode: 'card_declined' });
    const again = await authorize({ number: '4000000000000002' }, orderId);
    expect(again.statusCode).toBe(402);
    expect(again.json().paymentId).toBe(first.json().paymentId);
    expect(await outbox(orderId)).toEqual(['payment.declined.v1']);
  });

  test('4000 0000 0000 9995 fails with insufficient funds', async () => {
    const response = await authorize({ token: 'tok_chargeDeclinedInsufficientFunds' });
    expect(response.statusCode).toBe(402);
    expect(response.json().code).toBe('insufficient_funds');
  });

  test('a number that fails the Luhn check is a 400 naming the field, and nothing is stored', async () => {
    const orderId = randomUUID();
    const response = await authorize({ number: '4242424242424241' }, orderId);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'card.number' })]);
    expect(await outbox(orderId)).toEqual([]);
  });

  test('a card past its expiry month, or with a code of the wrong length for its brand, is a 400 naming that detail', async () => {
    const now = new Date();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const expired = await authorize({
      number: '4242424242424242',
      expiry: { month: lastMonth.getUTCMonth() + 1, year: lastMonth.getUTCFullYear() },
    });
    expect(expired.statusCode).toBe(400);
    expect(expired.json().errors).toEqual([
      expect.objectContaining({ field: 'card.expiry', message: 'has passed' }),
    ]);
    const thisMonth = await authorize({
      number: '4242424242424242',
      expiry: { month: now.getUTCMonth() + 1, year: now.getUTCFullYear() },
    });
    expect(thisMonth.statusCode).toBe(201);
    const amex = await authorize({ number: '3782 822463 10005', cvc: '123' });
    expect(amex.json().errors).toEqual([expect.objectContaining({ field: 'card.cvc' })]);
    expect((await authorize({ number: '3782 822463 10005', cvc: '1234' })).statusCode).toBe(201);
  });

  test.each([
    ['4000 0000 0000 0069', 'expired_card', 'The card has expired'],
    ['4000 0000 0000 0127', 'incorrect_cvc', "The card's security code is incorrect"],
  ])('%s is declined as %s, saying so', async (number, declineCode, detail) => {
    const response = await authorize({ number });
    expect(response.statusCode).toBe(402);
    expect(response.json()).toMatchObject({ code: 'card_declined', declineCode, detail });
  });

  test('the same order authorized twice at once holds the card once', async () => {
    const orderId = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => authorize({ number: '4242424242424242' }, orderId)),
    );
    expect(new Set(responses.map((response) => response.json().paymentId)).size).toBe(1);
    expect(responses.filter((response) => response.statusCode === 201)).toHaveLength(1);
    expect(await outbox(orderId)).toEqual(['payment.authorized.v1']);
  });

  test('only services may authorize', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/internal/payments',
      headers: { authorization: `Bearer ${customerToken}` },
      payload: { orderId: randomUUID(), amount: 1, currency: 'USD', card: { token: 'tok_visa' } },
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('capture, void and refund', () => {
  test('capture then refund; each again changes nothing; a refund is announced once', async () => {
    const orderId = randomUUID();
    await authorize({ token: 'tok_visa' }, orderId);
    expect((await act(orderId, 'capture')).json().status).toBe('captured');
    expect((await act(orderId, 'capture')).json().status).toBe('captured');
    expect((await act(orderId, 'refund')).json().status).toBe('refunded');
    expect((await act(orderId, 'refund')).json().status).toBe('refunded');
    expect(await outbox(orderId)).toEqual(['payment.authorized.v1', 'payment.refunded.v1']);
  });

  test('captured with the authorization: the money taken at once, a repeat takes nothing more, a void is refused, a refund gives it back', async () => {
    const orderId = randomUUID();
    const sale = await authorize({ token: 'tok_visa' }, orderId, 2599, true);
    expect(sale.statusCode).toBe(201);
    expect(sale.json()).toMatchObject({ status: 'captured', amount: 2599, refunded: 0 });
    const again = await authorize({ token: 'tok_visa' }, orderId, 2599, true);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'captured', paymentId: sale.json().paymentId });
    expect((await act(orderId, 'capture')).json().status).toBe('captured');
    const cancelHold = await act(orderId, 'void');
    expect(cancelHold.statusCode).toBe(409);
    expect(cancelHold.json().code).toBe('invalid_payment_state');
    expect((await act(orderId, 'refund')).json()).toMatchObject({
      status: 'refunded',
      refunded: 2599,
    });
    expect(await outbox(orderId)).toEqual(['payment.authorized.v1', 'payment.refunded.v1']);
  });

  test('a declined card asked to capture takes nothing: 402', async () => {
    const response = await authorize({ token: 'tok_chargeDeclined' }, randomUUID(), 2599, true);
    expect(response.statusCode).toBe(402);
    expect(response.json().code).toBe('card_declined');
  });

  test('a refund of a payment only authorized voids it; a voided one cannot be captured', async () => {
    const orderId = randomUUID();
    await authorize({ token: 'tok_visa' }, orderId);
    expect((await act(orderId, 'refund')).json().status).toBe('voided');
    const capture = await act(orderId, 'capture');
    expect(capture.statusCode).toBe(409);
    expect(capture.json().code).toBe('invalid_payment_state');
  });

  test('an order without a payment is a 404', async () => {
    expect((await act(randomUUID(), 'void')).statusCode).toBe(404);
  });
});

describe('refunds in part (returns)', () => {
  const refund = (orderId: string, refundId: string, amount: number) =>
    app.inject({
      method: 'POST',
      url: `/internal/payments/${orderId}/refunds`,
      headers: { authorization: `Bearer ${serviceToken}` },
      payload: { refundId, amount },
    });
  const announced = async (orderId: string) =>
    (
      await database.pool.query(
        "SELECT data FROM outbox WHERE subject = $1 AND type = 'payment.refunded.v1' ORDER BY created_at",
        [orderId],
      )
    ).rows.map((row) => [row.data.amount.amount, row.data.remaining.amount]);

  test('refunds add up to the capture and never pass it; each is answered the same when asked again', async () => {
    const orderId = randomUUID();
    await authorize({ token: 'tok_visa' }, orderId, 2599);
    await act(orderId, 'capture');
    const first = randomUUID();
    expect((await refund(orderId, first, 1000)).json()).toMatchObject({
      refundId: first,
      amount: 1000,
      payment: { status: 'captured', refunded: 1000 },
    });
    expect((await refund(orderId, first, 1000)).json()).toMatchObject({
      amount: 1000,
      payment: { refunded: 1000 },
    });
    // Asked for more than is left: what is left goes back, and the answer says how much.
    expect((await refund(orderId, randomUUID(), 2000)).json()).toMatchObject({
      amount: 1599,
      payment: { status: 'refunded', refunded: 2599 },
    });
    expect((await refund(orderId, randomUUID(), 1)).json()).toMatchObject({ amount: 0 });
    expect(await announced(orderId)).toEqual([
      [1000, 1599],
      [1599, 0],
    ]);
  });

  test('a whole refund after a partial one gives back what was left', async () => {
    const orderId = randomUUID();
    await authorize({ token: 'tok_visa' }, orderId, 2599);
    await act(orderId, 'capture');
    await refund(orderId, randomUUID(), 599);
    expect((await act(orderId, 'refund')).json()).toMatchObject({
      status: 'refunded',
      refunded: 2599,
    });
    expect(await announced(orderId)).toEqual([
      [599, 2000],
      [2000, 0],
    ]);
  });

  test('a payment only authorized is not refunded in part: 409', async () => {
    const orderId = randomUUID();
    await authorize({ token: 'tok_visa' }, orderId);
    const response = await refund(orderId, randomUUID(), 100);
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('invalid_payment_state');
  });
});

describe('POST /api/payments/webhooks/test', () => {
  const deliver = (body: string, signature: string) =>
    app.inject({
      method: 'POST',
      url: '/api/payments/webhooks/test',
      headers: { 'content-type': 'application/json', 'bazaar-signature': signature },
      payload: body,
    });
  const now = () => Math.floor(Date.now() / 1000);

  async function capturedOrder() {
    const orderId = randomUUID();
    await authorize({ token: 'tok_visa' }, orderId);
    await act(orderId, 'capture');
    return orderId;
  }

  test('a signed refund notice refunds the payment; the same delivery again is refused', async () => {
    const orderId = await capturedOrder();
    const body = JSON.stringify({
      id: `evt_${randomUUID()}`,
      type: 'charge.refunded',
      data: { orderId },
    });
    const signature = signWebhook(body, secret, now());
    const first = await deliver(body, signature);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ received: true, applied: true });
    const replay = await deliver(body, signature);
    expect(replay.statusCode).toBe(400);
    expect(replay.json().code).toBe('webhook_replayed');
    expect(await outbox(orderId)).toEqual(['payment.authorized.v1', 'payment.refunded.v1']);
  });

  test('a bad signature, an altered body or an old timestamp is a 400 and changes nothing', async () => {
    const orderId = await capturedOrder();
    const body = JSON.stringify({
      id: `evt_${randomUUID()}`,
      type: 'charge.refunded',
      data: { orderId },
    });
    const altered = body.replace('refunded', 'captured');
    const cases = [
      deliver(body, signWebhook(body, 'another-secret-entirely', now())),
      deliver(altered, signWebhook(body, secret, now())),
      deliver(body, signWebhook(body, secret, now() - 3600)),
      deliver(body, 'garbage'),
    ];
    for (const response of await Promise.all(cases)) {
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('invalid_signature');
    }
    const { rows } = await database.pool.query('SELECT status FROM payments WHERE order_id = $1', [
      orderId,
    ]);
    expect(rows[0].status).toBe('captured');
  });

  test('an unknown provider is a 404', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/payments/webhooks/paypal',
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(response.statusCode).toBe(404);
  });
});

describe('closing an order to payment (orders settling a checkout it lost track of)', () => {
  const close = (orderId: string) =>
    app.inject({
      method: 'POST',
      url: `/internal/payments/${orderId}/close`,
      headers: { authorization: `Bearer ${serviceToken}` },
    });

  test('an order with no payment is closed (204): an authorization arriving later is 409 order_closed and holds nothing', async () => {
    const orderId = randomUUID();
    expect((await close(orderId)).statusCode).toBe(204);
    const late = await authorize({ number: '4242424242424242' }, orderId);
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'order_closed' });
    expect(await outbox(orderId)).toEqual([]);
    expect((await close(orderId)).statusCode).toBe(204);
  });

  test('an order whose authorization got in first answers that payment, which stays', async () => {
    const orderId = randomUUID();
    await authorize({ number: '4242424242424242' }, orderId);
    const closed = await close(orderId);
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ orderId, status: 'authorized' });
    expect((await act(orderId, 'capture')).json()).toMatchObject({ status: 'captured' });
  });

  test("an order the previous release's replica closed (during a rollout) refuses an authorization from this one", async () => {
    const orderId = randomUUID();
    await database.pool.query('INSERT INTO closed_orders (order_id) VALUES ($1)', [orderId]);
    const late = await authorize({ number: '4242424242424242' }, orderId, 2599, true);
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'order_closed' });
    expect(await outbox(orderId)).toEqual([]);
  });

  test('an authorization and a close racing: whichever lands first decides, never both', async () => {
    for (let round = 0; round < 20; round += 1) {
      const orderId = randomUUID();
      const [authorized, closed] = await Promise.all([
        authorize({ number: '4242424242424242' }, orderId),
        close(orderId),
      ]);
      // Authorized and reported by the close, or closed and refused: a payment never slips past.
      expect([authorized.statusCode, closed.statusCode], `round ${round}`).toSatisfy(
        ([a, c]: number[]) => (a === 201 && c === 200) || (a === 409 && c === 204),
      );
    }
  });
});
