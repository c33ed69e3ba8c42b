import { randomUUID } from 'node:crypto';
import type { PromotionHold, Quote, QuoteRequest } from '@bazaar/contracts/internal-api';
import { createTestDatabase, type TestDatabase } from '@bazaar/db/test-database';
import { createTokenVerifier } from '@bazaar/service-kit/auth';
import { DomainError } from '@bazaar/service-kit/errors';
import { goodCard, shippingAddress } from '@bazaar/testing/shop-client';
import { createTestTokens, type TestTokens } from '@bazaar/testing/test-tokens';
import { waitFor } from '@bazaar/testing/until';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, test } from 'vitest';
import { buildApp } from '../src/app.js';
import { migrations } from '../src/config.js';
import type { Authorization, Neighbours, PaymentState } from '../src/domain/ports.js';

/**
 * Orders alone: its app on a real PostgreSQL, its neighbours (cart, catalog, inventory, payments)
 * stood in for behind the port checkout calls them through, each answering as the test says. The
 * branches here are the ones a whole shop reaches only by luck of timing.
 */
type StandIns = Neighbours & {
  /** What each call did, in order: `reserve`, `capturePayment`, `giveBackCart`… */
  calls: string[];
  set: (behaviour: Partial<Behaviour>) => void;
};
type Behaviour = {
  active: boolean;
  committed: boolean;
  promotionCode: string | null;
  hold: PromotionHold;
  promotionCommitted: boolean;
  authorize: () => Promise<Authorization>;
  payment: PaymentState | undefined;
};

const payment: PaymentState = { status: 'authorized', cardBrand: 'visa', cardLast4: '4242' };
const authorized: Authorization = { authorized: true, payment };

function standIns(): StandIns {
  const calls: string[] = [];
  let behaviour: Behaviour = {
    active: true,
    committed: true,
    promotionCode: null,
    hold: { held: true },
    promotionCommitted: true,
    authorize: async () => authorized,
    payment: undefined,
  };
  // Catalog's quote, as simple as a region can be: 12.50 each, 5.00 shipping, no tax, 10 % off
  // with a code.
  const quote = (request: QuoteRequest): Quote => {
    const usd = (amount: number) => ({ amount, currency: 'USD' });
    const sold = behaviour.active ? request.lines : [];
    const subtotal = sold.reduce((sum, line) => sum + 1250 * line.quantity, 0);
    const discount = request.promotion ? subtotal / 10 : 0;
    return {
      region: 'us',
      currency: 'USD',
      taxIncluded: false,
      country: request.country ?? 'US',
      lines: sold.map(({ sku, quantity }) => ({
        sku,
        productId: randomUUID(),
        slug: sku.toLowerCase(),
        name: `Mug ${sku}`,
        image: null,
        quantity,
        unitPrice: usd(1250),
        lineTotal: usd(1250 * quantity),
        discount: usd(request.promotion ? 125 * quantity : 0),
        tax: usd(0),
        taxRate: 0,
      })),
      unavailable: behaviour.active ? [] : request.lines.map((line) => line.sku),
      shippingOption: { id: 'us-standard', name: 'Standard', estimate: '3–5 days' },
      promotion: request.promotion
        ? { code: request.promotion.code, description: '10 % off' }
        : null,
      shippingOptions: [],
      subtotal: usd(subtotal),
      discount: usd(discount),
      shipping: usd(500),
      tax: usd(0),
      total: usd(subtotal - discount + 500),
    };
  };
  return {
    calls,
    set: (change) => {
      behaviour = { ...behaviour, ...change };
    },
    cart: async (cartId) => ({
      cartId,
      lines: [{ sku: 'MUG-1', quantity: 2 }],
      checkoutsInProgress: [],
      region: null,
      promotionCode: behaviour.promotionCode,
    }),
    claimCart: async () => {
      calls.push('claimCart');
      return { claimed: true };
    },
    giveBackCart: async () => {
      calls.push('giveBackCart');
    },
    quote: async (request) => ({ quoted: true, quote: quote(request) }),
    holdPromotion: async () => {
      calls.push('holdPromotion');
      return behaviour.hold;
    },
    commitPromotion: async () => {
      calls.push('commitPromotion');
      return behaviour.promotionCommitted;
    },
    releasePromotion: async () => {
      calls.push('releasePromotion');
    },
    reserve: async () => {
      calls.push('reserve');
      return { held: true };
    },
    commitReservation: async () => {
      calls.push('commitReservation');
      return behaviour.committed;
    },
    releaseReservation: async () => {
      calls.push('releaseReservation');
    },
    authorize: async () => {
      calls.push('authorize');
      return behaviour.authorize();
    },
    closePayment: async () => {
      calls.push('closePayment');
      return behaviour.payment;
    },
    capturePayment: async () => {
      calls.push('capturePayment');
    },
    voidPayment: async () => {
      calls.push('voidPayment');
    },
    refundPayment: async () => {
      calls.push('refundPayment');
    },
  };
}

let database: TestDatabase;
let tokens: TestTokens;
let fake: StandIns;
let app: Awaited<ReturnType<typeof buildApp>>;

/** An orders replica whose sweeper recovers checkouts pending for `graceSeconds`. */
const ordersApp = (graceSeconds: number) =>
  buildApp({
    config: {
      LOG_LEVEL: 'silent',
      BODY_LIMIT_BYTES: 1_048_576,
      TRUST_PROXY_HOPS: 0,
      RESERVATION_TTL_SECONDS: 60,
      ORDER_SWEEP_INTERVAL_MS: 100,
      PENDING_GRACE_SECONDS: graceSeconds,
    },
    db: database.pool,
    services: fake,
    verify: createTokenVerifier({ keys: tokens.keys, issuer: tokens.issuer, audience: 'bazaar' }),
  });

beforeAll(async () => {
  database = await createTestDatabase(inject('postgresUrl'), { migrations: migrations });
  tokens = await createTestTokens();
  fake = standIns();
  // Its sweeper leaves a checkout alone for a minute: the tests' checkouts end as they would.
  app = await ordersApp(60);
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

beforeEach(() => {
  fake.calls.length = 0;
  fake.set({
    active: true,
    committed: true,
    promotionCode: null,
    hold: { held: true },
    promotionCommitted: true,
    authorize: async () => authorized,
    payment: undefined,
  });
});

const shopper = async () => {
  const subject = randomUUID();
  const token = await tokens.sign({
    subject,
    role: 'customer',
    email: 'ada@example.com',
    audience: 'bazaar',
  });
  return { subject, token };
};
const checkout = (token: string, key: string, payment: object = goodCard) =>
  app.inject({
    method: 'POST',
    url: '/api/checkout',
    headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
    payload: { shippingAddress, payment },
  });
const ordersOf = async (token: string) =>
  (
    await app.inject({
      method: 'GET',
      url: '/api/orders',
      headers: { authorization: `Bearer ${token}` },
    })
  ).json().items as Array<{ id: string; status: string }>;

describe('checkout against stand-ins for its neighbours', () => {
  test('the stock hold ran out before payment finished: 409 reservation_expired, the authorization voided, stock and cart given back', async () => {
    fake.set({ committed: false });
    const { token } = await shopper();
    const answer = await checkout(token, randomUUID());
    expect(answer.statusCode).toBe(409);
    expect(answer.json()).toMatchObject({ code: 'reservation_expired' });
    // What was done is undone newest first, and nothing is captured.
    expect(fake.calls).toEqual([
      'claimCart',
      'reserve',
      'authorize',
      'commitReservation',
      'voidPayment',
      'releaseReservation',
      'giveBackCart',
    ]);
    expect((await ordersOf(token)).map((order) => order.status)).toEqual(['rejected']);
  });

  test('the same key again while the first checkout is still paying: 409 checkout_in_progress with Retry-After, then the first one answers 201', async () => {
    let pay = () => {};
    fake.set({
      authorize: () =>
        new Promise((resolve) => {
          pay = () => resolve(authorized);
        }),
    });
    const { token } = await shopper();
    const key = randomUUID();
    const first = checkout(token, key);
    await waitFor(
      async () => fake.calls.includes('authorize'),
      (yes) => yes,
      { timeoutMs: 5000 },
    );
    const again = await checkout(token, key);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'checkout_in_progress' });
    expect(again.headers['retry-after']).toBe('2');
    pay();
    expect((await first).statusCode).toBe(201);
    expect((await checkout(token, key)).statusCode).toBe(201);
  });

  test('a card number payments refuses as invalid: 400 invalid_card naming payment.cardNumber, nothing held', async () => {
    fake.set({
      authorize: async () => ({
        authorized: false,
        reason: 'invalid_card',
        detail: 'The card number is not valid',
      }),
    });
    const { token } = await shopper();
    const answer = await checkout(token, randomUUID(), {
      method: 'card',
      cardNumber: '4242 4242 4242 4241',
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({
      code: 'invalid_card',
      errors: [{ field: 'payment.cardNumber', in: 'body' }],
    });
    expect(fake.calls).toEqual(expect.arrayContaining(['releaseReservation', 'giveBackCart']));
  });

  test('payments closed to this order meanwhile (the sweeper recovered it without a payment): 409 checkout_interrupted, not a 500', async () => {
    fake.set({
      authorize: async () => ({
        authorized: false,
        reason: 'closed',
        detail: 'This order was closed without a payment',
      }),
    });
    const { token } = await shopper();
    const answer = await checkout(token, randomUUID());
    expect(answer.statusCode).toBe(409);
    expect(answer.json()).toMatchObject({ code: 'checkout_interrupted' });
  });

  test('a SKU taken off sale since it went into the cart: 422 sku_unavailable, before any order is made', async () => {
    fake.set({ active: false });
    const { token } = await shopper();
    const answer = await checkout(token, randomUUID());
    expect(answer.statusCode).toBe(422);
    expect(answer.json()).toMatchObject({ code: 'sku_unavailable' });
    expect(fake.calls).toEqual([]);
    expect(await ordersOf(token)).toEqual([]);
  });

  test('the last use of a code taken by another shopper between the cart and the payment: 422 promotion_used_up, nothing charged, stock and cart given back', async () => {
    fake.set({ promotionCode: 'SPRING10', hold: { held: false, reason: 'used_up' } });
    const { token } = await shopper();
    const answer = await checkout(token, randomUUID());
    expect(answer.statusCode).toBe(422);
    expect(answer.json()).toMatchObject({ code: 'promotion_used_up' });
    expect(fake.calls).toEqual([
      'claimCart',
      'reserve',
      'holdPromotion',
      'releaseReservation',
      'giveBackCart',
    ]);
  });

  test("a declined card gives the code's use back with the stock", async () => {
    fake.set({
      promotionCode: 'SPRING10',
      authorize: async () => ({
        authorized: false,
        reason: 'card_declined',
        detail: 'The card was declined',
      }),
    });
    const { token } = await shopper();
    expect((await checkout(token, randomUUID())).statusCode).toBe(402);
    expect(fake.calls).toEqual([
      'claimCart',
      'reserve',
      'holdPromotion',
      'authorize',
      'releasePromotion',
      'releaseReservation',
      'giveBackCart',
    ]);
  });

  test("the code's hold ran out while the card was charged: 409 promotion_hold_expired, the authorization voided, everything given back", async () => {
    fake.set({ promotionCode: 'SPRING10', promotionCommitted: false });
    const { token } = await shopper();
    const answer = await checkout(token, randomUUID());
    expect(answer.statusCode).toBe(409);
    expect(answer.json()).toMatchObject({ code: 'promotion_hold_expired' });
    expect(fake.calls.slice(-6)).toEqual([
      'commitPromotion',
      'releaseReservation',
      'voidPayment',
      'releasePromotion',
      'releaseReservation',
      'giveBackCart',
    ]);
  });

  test('the order keeps what it was charged: the discount of the code, shipping, and each line', async () => {
    fake.set({ promotionCode: 'SPRING10' });
    const { token } = await shopper();
    const answer = await checkout(token, randomUUID());
    expect(answer.statusCode, answer.body).toBe(201);
    expect(answer.json()).toMatchObject({
      promotion: { code: 'SPRING10' },
      subtotal: { amount: 2500 },
      discount: { amount: 250 },
      shipping: { amount: 500 },
      tax: { amount: 0 },
      total: { amount: 2750 },
      shippingOption: { id: 'us-standard' },
      lines: [{ sku: 'MUG-1', quantity: 2, discount: { amount: 250 } }],
    });
    expect(fake.calls).toContain('commitPromotion');
  });

  test('payments stopped answering after it took the money: the sweeper finds the order pending and confirms it, without charging again', async () => {
    fake.set({
      authorize: async () => {
        throw new DomainError('upstream_unavailable', 'payments is not answering');
      },
      payment: { status: 'captured', cardBrand: 'visa', cardLast4: '4242' },
    });
    const { token } = await shopper();
    expect((await checkout(token, randomUUID())).statusCode).toBe(503);
    expect((await ordersOf(token)).map((order) => order.status)).toEqual(['pending']);
    // Another replica, whose sweeper takes checkouts pending for a second.
    const sweeping = await ordersApp(1);
    try {
      const recovered = await waitFor(
        () => ordersOf(token),
        (orders) => orders[0]?.status !== 'pending',
        { timeoutMs: 10_000 },
      );
      expect(recovered.map((order) => order.status)).toEqual(['confirmed']);
    } finally {
      await sweeping.close();
    }
    expect(fake.calls).toContain('closePayment');
    expect(
      fake.calls.filter((call) => call.endsWith('Payment') && call !== 'closePayment'),
    ).toEqual([]);
  });
});
