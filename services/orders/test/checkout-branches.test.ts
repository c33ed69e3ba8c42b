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
  /** What payments would hold of each order: authorized, and refunded so far. */
  money: Map<string, { authorized: number; refunded: number }>;
  /** The units each return put back: `returnId → lines`. */
  restocked: Map<string, Array<{ sku: string; quantity: number; damaged: number }>>;
  set: (behaviour: Partial<Behaviour>) => void;
};
type Behaviour = {
  active: boolean;
  /** Inventory took the stock off the shelf at once; false: it only held it (the previous release). */
  taken: boolean;
  committed: boolean;
  promotionCode: string | null;
  hold: PromotionHold;
  authorize: () => Promise<Authorization>;
  payment: PaymentState | undefined;
  refundFails: boolean;
};

const charged: Authorization = {
  authorized: true,
  payment: { status: 'captured', cardBrand: 'visa', cardLast4: '4242' },
};
/** What a payments replica of the previous release answers: the money held, not yet taken. */
const onlyAuthorized: Authorization = {
  authorized: true,
  payment: { status: 'authorized', cardBrand: 'visa', cardLast4: '4242' },
};

function standIns(): StandIns {
  const calls: string[] = [];
  const money = new Map<string, { authorized: number; refunded: number }>();
  const restocked = new Map<string, Array<{ sku: string; quantity: number; damaged: number }>>();
  const refunds = new Map<string, number>();
  let behaviour: Behaviour = {
    active: true,
    taken: true,
    committed: true,
    promotionCode: null,
    hold: { held: true },
    authorize: async () => charged,
    payment: undefined,
    refundFails: false,
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
      returnDays: 30,
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
    money,
    restocked,
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
      return true;
    },
    releasePromotion: async () => {
      calls.push('releasePromotion');
    },
    reserve: async () => {
      calls.push('reserve');
      return { held: true, committed: behaviour.taken };
    },
    commitReservation: async () => {
      calls.push('commitReservation');
      return behaviour.committed;
    },
    releaseReservation: async () => {
      calls.push('releaseReservation');
    },
    authorize: async (orderId, amount) => {
      calls.push('authorize');
      money.set(orderId, { authorized: amount.amount, refunded: 0 });
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
    refundPayment: async (orderId) => {
      calls.push('refundPayment');
      const held = money.get(orderId);
      if (held) held.refunded = held.authorized;
    },
    // Like payments: never more than is left.
    refundPart: async (orderId, refundId, amount) => {
      calls.push('refundPart');
      if (behaviour.refundFails) throw new DomainError('upstream_unavailable', 'payments is away');
      const held = money.get(orderId);
      if (!held) throw new Error(`no payment for ${orderId}`);
      const given = refunds.get(refundId) ?? Math.min(amount, held.authorized - held.refunded);
      if (!refunds.has(refundId)) held.refunded += given;
      refunds.set(refundId, given);
      return given;
    },
    restock: async (_orderId, returnId, lines) => {
      calls.push('restock');
      restocked.set(returnId, [...lines]);
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
    taken: true,
    committed: true,
    promotionCode: null,
    hold: { held: true },
    authorize: async () => charged,
    payment: undefined,
    refundFails: false,
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
  test('a checkout takes the stock and the code before the card, and charges the card at once: nothing is left to commit or capture', async () => {
    fake.set({ promotionCode: 'SPRING10' });
    const { token } = await shopper();
    const answer = await checkout(token, randomUUID());
    expect(answer.statusCode, answer.body).toBe(201);
    expect(fake.calls).toEqual(['claimCart', 'reserve', 'holdPromotion', 'authorize']);
  });

  test('neighbours of the previous release (stock only held, the card only authorized): committed and captured after the charge, as before', async () => {
    fake.set({ taken: false, authorize: async () => onlyAuthorized });
    const { token } = await shopper();
    const answer = await checkout(token, randomUUID());
    expect(answer.statusCode, answer.body).toBe(201);
    expect(fake.calls).toEqual([
      'claimCart',
      'reserve',
      'authorize',
      'commitReservation',
      'capturePayment',
    ]);
  });

  test('stock only held (an inventory of the previous release) ran out while the card was charged: 409 reservation_expired, the charge refunded, stock and cart given back', async () => {
    fake.set({ taken: false, committed: false });
    const { token } = await shopper();
    const answer = await checkout(token, randomUUID());
    expect(answer.statusCode).toBe(409);
    expect(answer.json()).toMatchObject({ code: 'reservation_expired' });
    // What was done is undone newest first.
    expect(fake.calls).toEqual([
      'claimCart',
      'reserve',
      'authorize',
      'commitReservation',
      'refundPayment',
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
          pay = () => resolve(charged);
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
      ...goodCard,
      cardNumber: '4242 4242 4242 4241',
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({
      code: 'invalid_card',
      errors: [{ field: 'payment.cardNumber', in: 'body' }],
    });
    expect(fake.calls).toEqual(expect.arrayContaining(['releaseReservation', 'giveBackCart']));
  });

  test('an expiry payments says has passed: 400 invalid_card naming payment.expiry', async () => {
    fake.set({
      authorize: async () => ({
        authorized: false,
        reason: 'invalid_card',
        detail: 'The card expiry has passed',
        invalid: { detail: 'expiry', message: 'has passed' },
      }),
    });
    const { token } = await shopper();
    const answer = await checkout(token, randomUUID(), { ...goodCard, expiry: '01/20' });
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({
      code: 'invalid_card',
      errors: [{ field: 'payment.expiry', in: 'body', message: 'has passed' }],
    });
  });

  test('a card number without its expiry and security code is refused naming both, before anything is held', async () => {
    const { token } = await shopper();
    const answer = await checkout(token, randomUUID(), {
      method: 'card',
      cardNumber: goodCard.cardNumber,
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().errors).toEqual([
      expect.objectContaining({ field: 'payment.expiry' }),
      expect.objectContaining({ field: 'payment.cvc' }),
    ]);
    expect(fake.calls).not.toContain('reserve');
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

describe('returns and cancelled lines against stand-ins', () => {
  // The stand-ins' order: 2 × MUG-1 at 12.50, 5.00 shipping, no tax: 30.00.
  const adminToken = () =>
    tokens.sign({ subject: randomUUID(), role: 'admin', audience: 'bazaar' });
  const as = async (token: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload && { payload }),
    });
  const placed = async () => {
    const { token } = await shopper();
    const order = (await checkout(token, randomUUID())).json();
    return { token, orderId: order.id as string };
  };
  const shipped = async () => {
    const buyer = await placed();
    await as(await adminToken(), 'POST', `/api/admin/orders/${buyer.orderId}/ship`, {
      carrier: 'DHL',
      trackingNumber: 'JD0001',
    });
    return buyer;
  };
  const admin = async (url: string, payload: object = {}) =>
    as(await adminToken(), 'POST', url, payload);

  test('a return of a shipped order: asked for, approved, received with a damaged unit, refunded its share; the last unit brings the shipping back', async () => {
    const { token, orderId } = await shipped();
    const asked = await as(token, 'POST', `/api/orders/${orderId}/returns`, {
      lines: [{ sku: 'MUG-1', quantity: 1 }],
      reason: 'changed_mind',
    });
    expect(asked.statusCode).toBe(201);
    const returnId = asked.json().id;
    expect(asked.json()).toMatchObject({ kind: 'return', status: 'requested', refund: null });
    expect((await admin(`/api/admin/returns/${returnId}/approve`)).json().status).toBe('approved');
    const received = await admin(`/api/admin/returns/${returnId}/receive`, {
      damaged: [{ sku: 'MUG-1', quantity: 1 }],
    });
    expect(received.json()).toMatchObject({
      status: 'refunded',
      refund: { amount: { amount: 1250 }, shipping: { amount: 0 } },
      refunded: { amount: 1250, currency: 'USD' },
      lines: [{ sku: 'MUG-1', quantity: 1, damaged: 1 }],
    });
    expect(fake.restocked.get(returnId)).toEqual([
      { sku: 'MUG-1', name: 'Mug MUG-1', quantity: 1, damaged: 1 },
    ]);
    // Received again: nothing more is refunded.
    await admin(`/api/admin/returns/${returnId}/receive`);
    expect(fake.money.get(orderId)).toEqual({ authorized: 3000, refunded: 1250 });

    const last = await as(token, 'POST', `/api/orders/${orderId}/returns`, {
      lines: [{ sku: 'MUG-1', quantity: 1 }],
      reason: 'damaged',
    });
    // The back office sends the damaged units it counted, none here.
    const done = await admin(`/api/admin/returns/${last.json().id}/receive`, { damaged: [] });
    expect(done.json().refund).toMatchObject({
      amount: { amount: 1750 },
      shipping: { amount: 500 },
    });
    expect(fake.money.get(orderId)).toEqual({ authorized: 3000, refunded: 3000 });
    const order = (await as(token, 'GET', `/api/orders/${orderId}`)).json();
    expect(order.returns.map((entry: { status: string }) => entry.status)).toEqual([
      'refunded',
      'refunded',
    ]);
    expect(Date.parse(order.returnsOpenUntil) - Date.parse(order.updatedAt)).toBeGreaterThan(
      29 * 86_400_000,
    );
  });

  test('no more units than are left to send back, only lines of the order: 422 naming the field', async () => {
    const { token, orderId } = await shipped();
    const ask = (lines: object[]) =>
      as(token, 'POST', `/api/orders/${orderId}/returns`, { lines, reason: 'wrong_item' });
    expect((await ask([{ sku: 'MUG-1', quantity: 1 }])).statusCode).toBe(201);
    // One unit is already asked for: one is left.
    const tooMany = await ask([{ sku: 'MUG-1', quantity: 2 }]);
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().errors).toEqual([
      { field: 'lines.0.quantity', in: 'body', message: 'only 1 can be sent back' },
    ]);
    const other = await ask([{ sku: 'LAMP-9', quantity: 1 }]);
    expect(other.json().errors).toEqual([
      { field: 'lines.0.sku', in: 'body', message: 'is not a line of the order' },
    ]);
    const reason = await as(token, 'POST', `/api/orders/${orderId}/returns`, {
      lines: [{ sku: 'MUG-1', quantity: 1 }],
      reason: 'bored',
    });
    expect(reason.statusCode).toBe(400);
    expect(reason.json().errors[0].field).toBe('reason');
  });

  test('a rejected return says why, to the shopper, and frees its units for another request', async () => {
    const { token, orderId } = await shipped();
    const asked = await as(token, 'POST', `/api/orders/${orderId}/returns`, {
      lines: [{ sku: 'MUG-1', quantity: 2 }],
      reason: 'not_as_described',
    });
    const rejected = await admin(`/api/admin/returns/${asked.json().id}/reject`, {
      note: 'The mugs were used',
    });
    expect(rejected.json()).toMatchObject({ status: 'rejected', note: 'The mugs were used' });
    expect((await admin(`/api/admin/returns/${asked.json().id}/receive`)).statusCode).toBe(409);
    const { rows } = await database.pool.query(
      "SELECT data FROM outbox WHERE subject = $1 AND type = 'return.rejected.v1'",
      [orderId],
    );
    expect(rows.map((row) => row.data.note)).toEqual(['The mugs were used']);
    const again = await as(token, 'POST', `/api/orders/${orderId}/returns`, {
      lines: [{ sku: 'MUG-1', quantity: 2 }],
      reason: 'changed_mind',
    });
    expect(again.statusCode).toBe(201);
  });

  test('after the return window the request is a 409 that says when it closed; before shipping, lines are cancelled instead', async () => {
    const { token, orderId } = await shipped();
    // Shipped 31 days ago: the region's 30 days are over.
    await database.pool.query(
      "UPDATE orders SET shipped_at = now() - interval '31 days' WHERE id = $1",
      [orderId],
    );
    const late = await as(token, 'POST', `/api/orders/${orderId}/returns`, {
      lines: [{ sku: 'MUG-1', quantity: 1 }],
      reason: 'changed_mind',
    });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'return_window_closed' });

    const confirmed = await placed();
    const early = await as(confirmed.token, 'POST', `/api/orders/${confirmed.orderId}/returns`, {
      lines: [{ sku: 'MUG-1', quantity: 1 }],
      reason: 'changed_mind',
    });
    expect(early.json()).toMatchObject({ status: 409, code: 'not_returnable' });
  });

  test('a unit of a confirmed order cancelled: refunded and restocked at once; cancelling the rest gives back only what is left', async () => {
    const { token, orderId } = await placed();
    const cancelled = await as(token, 'POST', `/api/orders/${orderId}/cancel-lines`, {
      lines: [{ sku: 'MUG-1', quantity: 1 }],
    });
    expect(cancelled.statusCode).toBe(201);
    expect(cancelled.json()).toMatchObject({
      kind: 'cancellation',
      status: 'refunded',
      reason: 'cancelled by the customer',
      refunded: { amount: 1250 },
    });
    expect(fake.money.get(orderId)).toEqual({ authorized: 3000, refunded: 1250 });
    const whole = await as(token, 'POST', `/api/orders/${orderId}/cancel`);
    expect(whole.json().status).toBe('cancelled');
    expect(fake.money.get(orderId)).toEqual({ authorized: 3000, refunded: 3000 });
  });

  test('a guest returns through the order link, without signing in', async () => {
    const cartToken = randomUUID().replaceAll('-', '').padEnd(43, 'a');
    const placedAsGuest = await app.inject({
      method: 'POST',
      url: '/api/checkout',
      headers: { 'idempotency-key': randomUUID(), 'x-cart-token': cartToken },
      payload: { shippingAddress, payment: goodCard, email: 'guest@example.com' },
    });
    const { id: orderId, accessToken } = placedAsGuest.json();
    await admin(`/api/admin/orders/${orderId}/ship`, { carrier: 'DHL', trackingNumber: 'JD0002' });
    const asked = await app.inject({
      method: 'POST',
      url: `/api/orders/by-token/${accessToken}/returns`,
      payload: { lines: [{ sku: 'MUG-1', quantity: 1 }], reason: 'changed_mind' },
    });
    expect(asked.statusCode).toBe(201);
    const page = await app.inject({ method: 'GET', url: `/api/orders/by-token/${accessToken}` });
    expect(page.json().returns).toMatchObject([
      { status: 'requested', email: 'guest@example.com' },
    ]);
  });

  test('payments away when the parcel was received: the sweeper refunds the return once it answers', async () => {
    const { orderId, token } = await shipped();
    const asked = await as(token, 'POST', `/api/orders/${orderId}/returns`, {
      lines: [{ sku: 'MUG-1', quantity: 1 }],
      reason: 'changed_mind',
    });
    fake.set({ refundFails: true });
    expect((await admin(`/api/admin/returns/${asked.json().id}/receive`)).statusCode).toBe(503);
    fake.set({ refundFails: false });
    const sweeping = await ordersApp(1);
    try {
      const settled = await waitFor(
        async () => (await as(token, 'GET', `/api/orders/${orderId}`)).json().returns[0],
        (entry) => entry.status === 'refunded',
        { timeoutMs: 10_000 },
      );
      expect(settled.refunded).toEqual({ amount: 1250, currency: 'USD' });
    } finally {
      await sweeping.close();
    }
    expect(fake.money.get(orderId)).toEqual({ authorized: 3000, refunded: 1250 });
  });
});
