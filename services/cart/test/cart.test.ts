import { randomUUID } from 'node:crypto';
import { type RunningCatalog, startCatalog } from '@bazaar/catalog/test-fixture';
import { createTestDatabase, type TestDatabase } from '@bazaar/db/test-database';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { createTokenVerifier } from '@bazaar/service-kit/auth';
import { serviceClient } from '@bazaar/service-kit/service-client';
import { createTestTokens, type TestTokens } from '@bazaar/testing/test-tokens';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { buildApp } from '../src/app.js';
import { catalogQuotes } from '../src/clients/catalog.js';
import { migrations } from '../src/config.js';
import type { CartStore } from '../src/domain/cart.js';
import { eventHandlers as cartEventHandlers } from '../src/events/index.js';
import { postgresCartStore } from '../src/store/postgres-cart-store.js';
import { redisCartStore } from '../src/store/redis-cart-store.js';

let catalog: RunningCatalog;
let catalogUrl: string;
let database: TestDatabase;
let tokens: TestTokens;

beforeAll(async () => {
  catalog = await startCatalog(inject('postgresUrl'));
  catalogUrl = await catalog.app.listen({ port: 0, host: '127.0.0.1' });
  database = await createTestDatabase(inject('postgresUrl'), { migrations: migrations });
  tokens = await createTestTokens();
});

afterAll(async () => {
  await database.drop();
  await catalog.close();
});

const redisUrl = inject('redisUrl');
const stores: Array<{ name: string; open: () => CartStore }> = [
  { name: 'PostgreSQL', open: () => postgresCartStore(database.pool, { ttlSeconds: 3600 }) },
  ...(redisUrl
    ? [{ name: 'Redis', open: () => redisCartStore(new Redis(redisUrl), { ttlSeconds: 3600 }) }]
    : []),
];

describe.each(stores)('a cart kept in $name', ({ open }) => {
  let app: ServiceApp;
  let store: CartStore;

  beforeAll(async () => {
    store = open();
    const verifier = (audience: string) =>
      createTokenVerifier({ keys: tokens.keys, issuer: tokens.issuer, audience });
    app = await buildApp({
      config: {
        LOG_LEVEL: 'silent',
        BODY_LIMIT_BYTES: 1_048_576,
        TRUST_PROXY_HOPS: 0,
        CART_TTL_DAYS: 30,
      },
      db: database.pool,
      store,
      quotes: catalogQuotes(
        serviceClient({
          name: 'catalog',
          baseUrl: catalogUrl,
          token: async () => catalog.serviceToken,
        }),
      ),
      verify: verifier('bazaar'),
      verifyService: verifier('bazaar-internal'),
    });
  });

  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const send = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    options: { payload?: object; token?: string; bearer?: string } = {},
  ) =>
    app.inject({
      method,
      url,
      headers: {
        ...(options.token ? { 'x-cart-token': options.token } : {}),
        ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}),
      },
      ...(options.payload ? { payload: options.payload } : {}),
    });
  const customer = () =>
    tokens.sign({ role: 'customer', audience: 'bazaar', subject: randomUUID() });

  test('a guest adds lines, gets a token (and a cookie), and sees them priced by catalog', async () => {
    const first = await send('POST', '/api/cart/items', {
      payload: { sku: 'LGT-05-SND', quantity: 2 },
    });
    expect(first.statusCode, first.body).toBe(200);
    const { cartToken } = first.json();
    expect(cartToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.headers['set-cookie']).toMatch(/cart_token=.*HttpOnly/);
    const cart = (
      await send('POST', '/api/cart/items', {
        token: cartToken,
        payload: { sku: 'LGT-05-SND', quantity: 1 },
      })
    ).json();
    expect(cart.items).toEqual([
      expect.objectContaining({
        sku: 'LGT-05-SND',
        slug: 'oak-desk-lamp',
        quantity: 3,
        lineTotal: { amount: cart.items[0].unitPrice.amount * 3, currency: 'USD' },
      }),
    ]);
    expect(cart.subtotal).toEqual(cart.items[0].lineTotal);
    expect(cart.itemCount).toBe(3);
  });

  test('quantities outside 1-99 are a 400 naming the field; a line never passes 99', async () => {
    const zero = await send('POST', '/api/cart/items', {
      payload: { sku: 'LGT-05-SND', quantity: 0 },
    });
    expect(zero.statusCode).toBe(400);
    expect(zero.json().errors).toEqual([expect.objectContaining({ field: 'quantity' })]);
    const { cartToken } = (
      await send('POST', '/api/cart/items', { payload: { sku: 'LGT-05-SND', quantity: 90 } })
    ).json();
    const over = await send('POST', '/api/cart/items', {
      token: cartToken,
      payload: { sku: 'LGT-05-SND', quantity: 10 },
    });
    expect(over.statusCode).toBe(422);
    expect(over.json().code).toBe('quantity_limit');
  });

  test('an unknown or off-sale SKU is a 422', async () => {
    const unknown = await send('POST', '/api/cart/items', {
      payload: { sku: 'NOPE-1', quantity: 1 },
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({ code: 'sku_unavailable', errors: [{ field: 'sku' }] });
  });

  test('update and remove lines; a line that is not there cannot be updated', async () => {
    const bearer = await customer();
    await send('POST', '/api/cart/items', { bearer, payload: { sku: 'LGT-05-SND', quantity: 1 } });
    await send('POST', '/api/cart/items', { bearer, payload: { sku: 'LGT-05-WHT', quantity: 1 } });
    const updated = await send('PATCH', '/api/cart/items/LGT-05-SND', {
      bearer,
      payload: { quantity: 5 },
    });
    expect(updated.json().items.map((item: { quantity: number }) => item.quantity)).toEqual([5, 1]);
    const removed = await send('DELETE', '/api/cart/items/LGT-05-WHT', { bearer });
    expect(removed.json().items).toHaveLength(1);
    const missing = await send('PATCH', '/api/cart/items/LGT-05-WHT', {
      bearer,
      payload: { quantity: 2 },
    });
    expect(missing.statusCode).toBe(404);
  });

  test("a guest cart merges into the user's on sign-in, adding quantities", async () => {
    const bearer = await customer();
    await send('POST', '/api/cart/items', { bearer, payload: { sku: 'LGT-05-SND', quantity: 1 } });
    const { cartToken } = (
      await send('POST', '/api/cart/items', { payload: { sku: 'LGT-05-SND', quantity: 2 } })
    ).json();
    await send('POST', '/api/cart/items', {
      token: cartToken,
      payload: { sku: 'LGT-05-WHT', quantity: 1 },
    });
    const merged = await send('POST', '/api/cart/merge', { bearer, payload: { cartToken } });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(
      merged
        .json()
        .items.map((item: { sku: string; quantity: number }) => [item.sku, item.quantity]),
    ).toEqual([
      ['LGT-05-SND', 3],
      ['LGT-05-WHT', 1],
    ]);
    expect((await send('GET', '/api/cart', { token: cartToken })).json().items).toEqual([]);
  });

  test('a product archived in catalog leaves the cart at the next read, named in removed', async () => {
    const bearer = await customer();
    await send('POST', '/api/cart/items', { bearer, payload: { sku: 'LGT-05-SND', quantity: 1 } });
    await catalog.db.query("UPDATE products SET status = 'archived' WHERE slug = 'oak-desk-lamp'");
    try {
      const cart = (await send('GET', '/api/cart', { bearer })).json();
      expect(cart).toMatchObject({
        items: [],
        removed: ['LGT-05-SND'],
        subtotal: { amount: 0, currency: 'USD' },
        total: { amount: 0, currency: 'USD' },
      });
    } finally {
      await catalog.db.query("UPDATE products SET status = 'active' WHERE slug = 'oak-desk-lamp'");
    }
  });

  const money = (amount: number, currency: string) => ({ amount, currency });
  const sums = (cart: Record<string, { amount: number }>) =>
    ['subtotal', 'discount', 'shipping', 'tax', 'total'].map((name) => cart[name]?.amount);

  test('a cart nobody has made yet is empty, in the default region, every sum zero', async () => {
    const cart = (await send('GET', '/api/cart')).json();
    expect(cart).toMatchObject({ items: [], region: 'us', currency: 'USD', taxIncluded: false });
    expect(sums(cart)).toEqual([0, 0, 0, 0, 0]);
  });

  test('in the EU the cart is in euros with VAT included: the total is what the lines and shipping cost, and the tax a part of it', async () => {
    const { cartToken } = (
      await send('POST', '/api/cart/items', { payload: { sku: 'LGT-05-SND', quantity: 1 } })
    ).json();
    const usd = (await send('GET', '/api/cart', { token: cartToken })).json();
    const eu = await send('PATCH', '/api/cart', { token: cartToken, payload: { region: 'eu' } });

    expect(eu.statusCode, eu.body).toBe(200);
    const cart = eu.json();
    expect(cart).toMatchObject({ region: 'eu', currency: 'EUR', taxIncluded: true, country: 'DE' });
    expect(cart.items[0].unitPrice.currency).toBe('EUR');
    expect(cart.items[0].unitPrice.amount).not.toBe(usd.items[0].unitPrice.amount);
    expect(cart.total.amount).toBe(
      cart.subtotal.amount - cart.discount.amount + cart.shipping.amount,
    );
    expect(cart.tax.amount).toBeGreaterThan(0);
    expect(cart.tax.amount).toBeLessThan(cart.total.amount);
    expect(usd.total.amount).toBe(usd.subtotal.amount + usd.shipping.amount + usd.tax.amount);
    // Kept: the next read is in euros too.
    expect((await send('GET', '/api/cart', { token: cartToken })).json().currency).toBe('EUR');
  });

  test('a country moves the cart to the region that sells there; one the shop does not reach, or an unknown region, is refused naming the field', async () => {
    const bearer = await customer();
    await send('POST', '/api/cart/items', { bearer, payload: { sku: 'LGT-05-SND', quantity: 1 } });

    const gb = await send('PATCH', '/api/cart', { bearer, payload: { country: 'GB' } });
    const japan = await send('PATCH', '/api/cart', { bearer, payload: { country: 'JP' } });
    const nowhere = await send('PATCH', '/api/cart', { bearer, payload: { region: 'mars' } });
    const mismatch = await send('PATCH', '/api/cart', {
      bearer,
      payload: { region: 'eu', country: 'GB' },
    });

    expect(gb.json()).toMatchObject({ region: 'uk', currency: 'GBP', country: 'GB' });
    expect(japan.statusCode).toBe(422);
    expect(japan.json()).toMatchObject({
      code: 'country_not_served',
      errors: [{ field: 'country' }],
    });
    expect(nowhere.statusCode).toBe(400);
    expect(nowhere.json()).toMatchObject({ code: 'unknown_region', errors: [{ field: 'region' }] });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.json()).toMatchObject({
      code: 'country_not_in_region',
      errors: [{ field: 'country' }],
    });
    // Nothing refused was kept.
    expect((await send('GET', '/api/cart', { bearer })).json()).toMatchObject({
      region: 'uk',
      country: 'GB',
    });
  });

  test('the shipping options that serve the cart, each priced for its goods; choosing one is kept, one that does not deliver there is a 422 naming shippingOptionId', async () => {
    const bearer = await customer();
    await send('POST', '/api/cart/items', { bearer, payload: { sku: 'LGT-05-SND', quantity: 1 } });
    await send('PATCH', '/api/cart', { bearer, payload: { region: 'eu', country: 'IE' } });

    const options = (await send('GET', '/api/cart/shipping-options', { bearer })).json().items;
    const express = await send('PATCH', '/api/cart', {
      bearer,
      payload: { shippingOptionId: 'eu-express' },
    });
    await send('PATCH', '/api/cart', { bearer, payload: { country: 'FR' } });
    const chosen = await send('PATCH', '/api/cart', {
      bearer,
      payload: { shippingOptionId: 'eu-express' },
    });

    expect(options.map((option: { id: string }) => option.id)).toEqual(['eu-standard']);
    expect(options[0].price.currency).toBe('EUR');
    expect(express.statusCode).toBe(422);
    expect(express.json()).toMatchObject({
      code: 'shipping_unavailable',
      errors: [{ field: 'shippingOptionId' }],
    });
    expect(chosen.json()).toMatchObject({
      country: 'FR',
      shippingOption: { id: 'eu-express' },
      shipping: money(1499, 'EUR'),
    });
  });

  test('a code applies to the cart with its discount, is taken off again, and one that does not exist is a 422 naming code', async () => {
    const code = `CART${randomUUID().slice(0, 6).toUpperCase()}`;
    const created = await catalog.send('POST', '/api/admin/promotions', {
      code,
      kind: 'percentage',
      percent: 10,
    });
    expect(created.statusCode, created.body).toBe(201);
    const bearer = await customer();
    await send('POST', '/api/cart/items', { bearer, payload: { sku: 'LGT-05-SND', quantity: 2 } });

    const applied = await send('POST', '/api/cart/promotions', {
      bearer,
      payload: { code: code.toLowerCase() },
    });
    const unknown = await send('POST', '/api/cart/promotions', {
      bearer,
      payload: { code: 'NOSUCHCODE' },
    });

    expect(applied.statusCode, applied.body).toBe(200);
    const cart = applied.json();
    expect(cart.promotion).toMatchObject({ code, applied: true, reason: null });
    expect(cart.discount.amount).toBe(Math.round(cart.subtotal.amount / 10));
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({
      code: 'promotion_unknown',
      errors: [{ field: 'code' }],
    });
    // The refused code did not replace the one applied.
    expect((await send('GET', '/api/cart', { bearer })).json().promotion.code).toBe(code);

    const removed = (await send('DELETE', `/api/cart/promotions/${code}`, { bearer })).json();
    expect(removed).toMatchObject({ promotion: null, discount: { amount: 0 } });
  });

  test('a code that stops applying stays in the cart shown as not applied, with the reason, and the cart is priced without it', async () => {
    const code = `GONE${randomUUID().slice(0, 6).toUpperCase()}`;
    const { id } = (
      await catalog.send('POST', '/api/admin/promotions', { code, kind: 'percentage', percent: 20 })
    ).json();
    const bearer = await customer();
    await send('POST', '/api/cart/items', { bearer, payload: { sku: 'LGT-05-SND', quantity: 1 } });
    await send('POST', '/api/cart/promotions', { bearer, payload: { code } });

    await catalog.send('PATCH', `/api/admin/promotions/${id}`, { active: false });
    const cart = (await send('GET', '/api/cart', { bearer })).json();

    expect(cart.promotion).toMatchObject({ code, applied: false, reason: expect.any(String) });
    expect(cart.discount.amount).toBe(0);
  });

  test('a code on an empty cart is a 422 naming code', async () => {
    const answer = await send('POST', '/api/cart/promotions', { payload: { code: 'ANY' } });
    expect(answer.statusCode).toBe(422);
    expect(answer.json()).toMatchObject({ code: 'cart_empty', errors: [{ field: 'code' }] });
  });

  test("a guest's region and code follow the cart into the shopper's account at sign-in", async () => {
    const bearer = await customer();
    const { cartToken } = (
      await send('POST', '/api/cart/items', { payload: { sku: 'LGT-05-SND', quantity: 1 } })
    ).json();
    await send('PATCH', '/api/cart', { token: cartToken, payload: { region: 'uk' } });

    const merged = (
      await send('POST', '/api/cart/merge', { bearer, payload: { cartToken } })
    ).json();

    expect(merged).toMatchObject({ region: 'uk', currency: 'GBP', itemCount: 1 });
  });

  const internal = (method: 'GET' | 'POST', url: string, payload?: object) =>
    tokens
      .sign({ role: 'service', audience: 'bazaar-internal', subject: 'orders' })
      .then((bearer) => send(method, url, { bearer, ...(payload ? { payload } : {}) }));
  const quantities = (cart: { items: Array<{ sku: string; quantity: number }> }) =>
    cart.items.map((item) => [item.sku, item.quantity]);

  test('a checkout takes its lines out of the cart at once; a second checkout of the same lines is refused, naming the first', async () => {
    const userId = randomUUID();
    const bearer = await tokens.sign({ role: 'customer', audience: 'bazaar', subject: userId });
    await send('POST', '/api/cart/items', { bearer, payload: { sku: 'LGT-05-SND', quantity: 2 } });
    await send('POST', '/api/cart/items', { bearer, payload: { sku: 'LGT-05-WHT', quantity: 1 } });
    const lines = [
      { sku: 'LGT-05-SND', quantity: 2 },
      { sku: 'LGT-05-WHT', quantity: 1 },
    ];
    const [first, second] = [randomUUID(), randomUUID()];

    const claimed = await internal('POST', `/internal/carts/user:${userId}/checkouts`, {
      orderId: first,
      lines,
    });
    const refused = await internal('POST', `/internal/carts/user:${userId}/checkouts`, {
      orderId: second,
      lines,
    });

    expect(claimed.statusCode, claimed.body).toBe(200);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'cart_in_checkout', heldBy: [first] });
    expect((await send('GET', '/api/cart', { bearer })).json().items).toEqual([]);
    expect((await internal('GET', `/internal/carts/user:${userId}`)).json()).toEqual({
      cartId: `user:${userId}`,
      lines: [],
      checkoutsInProgress: [first],
      region: null,
      promotionCode: null,
    });
  });

  test("the previous release's orders, which names a user's cart by the bare user id, reads the same cart", async () => {
    const userId = randomUUID();
    const bearer = await tokens.sign({ role: 'customer', audience: 'bazaar', subject: userId });
    await send('POST', '/api/cart/items', { bearer, payload: { sku: 'LGT-05-SND', quantity: 2 } });

    const bare = (await internal('GET', `/internal/carts/${userId}`)).json();

    expect(bare).toMatchObject({
      cartId: `user:${userId}`,
      lines: [{ sku: 'LGT-05-SND', quantity: 2 }],
    });
  });

  test('twenty checkouts claiming one cart at the same moment: exactly one gets its lines', async () => {
    const userId = randomUUID();
    const bearer = await tokens.sign({ role: 'customer', audience: 'bazaar', subject: userId });
    await send('POST', '/api/cart/items', { bearer, payload: { sku: 'LGT-05-SND', quantity: 3 } });

    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        internal('POST', `/internal/carts/user:${userId}/checkouts`, {
          orderId: randomUUID(),
          lines: [{ sku: 'LGT-05-SND', quantity: 2 }],
        }),
      ),
    );

    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([
      200,
      ...Array.from({ length: 19 }, () => 409),
    ]);
    expect(quantities((await send('GET', '/api/cart', { bearer })).json())).toEqual([
      ['LGT-05-SND', 1],
    ]);
  });

  test('a checkout given up before its claim arrived (held up on the way): the late claim is refused and the cart keeps its lines', async () => {
    const userId = randomUUID();
    const bearer = await tokens.sign({ role: 'customer', audience: 'bazaar', subject: userId });
    await send('POST', '/api/cart/items', { bearer, payload: { sku: 'LGT-05-SND', quantity: 2 } });
    const orderId = randomUUID();

    const returned = await internal(
      'POST',
      `/internal/carts/user:${userId}/checkouts/${orderId}/return`,
    );
    const late = await internal('POST', `/internal/carts/user:${userId}/checkouts`, {
      orderId,
      lines: [{ sku: 'LGT-05-SND', quantity: 2 }],
    });

    expect(returned.statusCode).toBe(204);
    expect(late.statusCode).toBe(409);
    expect(quantities((await send('GET', '/api/cart', { bearer })).json())).toEqual([
      ['LGT-05-SND', 2],
    ]);
    expect((await internal('GET', `/internal/carts/user:${userId}`)).json()).toMatchObject({
      checkoutsInProgress: [],
    });
  });

  test("a failed order's lines come back into the cart once; a bought order's never do, and its code is spent", async () => {
    const userId = randomUUID();
    const bearer = await tokens.sign({ role: 'customer', audience: 'bazaar', subject: userId });
    await send('POST', '/api/cart/items', { bearer, payload: { sku: 'LGT-05-SND', quantity: 1 } });
    const failed = randomUUID();
    await internal('POST', `/internal/carts/user:${userId}/checkouts`, {
      orderId: failed,
      lines: [{ sku: 'LGT-05-SND', quantity: 1 }],
    });
    // Added while the checkout was running: it stays, and what comes back joins it.
    await send('POST', '/api/cart/items', { bearer, payload: { sku: 'LGT-05-SND', quantity: 2 } });

    const returned = await internal(
      'POST',
      `/internal/carts/user:${userId}/checkouts/${failed}/return`,
    );
    await internal('POST', `/internal/carts/user:${userId}/checkouts/${failed}/return`);

    expect(returned.statusCode).toBe(204);
    expect(quantities((await send('GET', '/api/cart', { bearer })).json())).toEqual([
      ['LGT-05-SND', 3],
    ]);

    const code = `SPENT${randomUUID().slice(0, 6).toUpperCase()}`;
    await catalog.send('POST', '/api/admin/promotions', { code, kind: 'percentage', percent: 5 });
    await send('POST', '/api/cart/promotions', { bearer, payload: { code } });
    const bought = randomUUID();
    await internal('POST', `/internal/carts/user:${userId}/checkouts`, {
      orderId: bought,
      lines: [{ sku: 'LGT-05-SND', quantity: 3 }],
    });
    const handler = cartEventHandlers(store)['order.confirmed.v1'];
    const unitPrice = { amount: 1, currency: 'USD' };
    const event = {
      specversion: '1.0' as const,
      id: randomUUID(),
      source: 'orders',
      type: 'order.confirmed.v1',
      subject: bought,
      time: new Date().toISOString(),
      datacontenttype: 'application/json' as const,
      data: {
        orderId: bought,
        userId,
        email: 'ada@example.com',
        lines: [{ sku: 'LGT-05-SND', name: 'Lamp', quantity: 3, unitPrice }],
        total: { amount: 3, currency: 'USD' },
      },
    };
    const client = await database.pool.connect();
    try {
      await handler?.(client, event);
      await handler?.(client, event);
    } finally {
      client.release();
    }
    await internal('POST', `/internal/carts/user:${userId}/checkouts/${bought}/return`);

    expect((await send('GET', '/api/cart', { bearer })).json().items).toEqual([]);
    expect((await internal('GET', `/internal/carts/user:${userId}`)).json()).toMatchObject({
      checkoutsInProgress: [],
      promotionCode: null,
    });
    const again = await internal('POST', `/internal/carts/user:${userId}/checkouts`, {
      orderId: bought,
      lines: [{ sku: 'LGT-05-SND', quantity: 3 }],
    });
    expect(again.statusCode).toBe(200);
    expect((await send('GET', '/api/cart', { bearer })).json().items).toEqual([]);
  });

  test('a malformed cart token is a 400 naming the header', async () => {
    const response = await send('GET', '/api/cart', { token: 'short' });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'x-cart-token' })]);
  });
});

describe('a cart kept in PostgreSQL, once expired', () => {
  const expire = (owner: string) =>
    database.pool.query(
      "UPDATE carts SET expires_at = now() - interval '1 second' WHERE owner = $1",
      [owner],
    );

  test('shows empty, cannot have a line set, and starts again empty when added to or given settings; a live one keeps what it holds', async () => {
    const store = postgresCartStore(database.pool, { ttlSeconds: 3600 });
    try {
      const added = `guest:${randomUUID()}`;
      const configured = `guest:${randomUUID()}`;
      for (const owner of [added, configured]) {
        expect(await store.add(owner, { sku: 'LGT-05-SND', quantity: 2 })).toBe(2);
        expect(await store.add(owner, { sku: 'LGT-05-SND', quantity: 1 })).toBe(3);
        await store.saveSettings(owner, { region: 'eu' });
        await expire(owner);
        expect(await store.read(owner)).toEqual({ lines: [], settings: {} });
        expect(await store.set(owner, { sku: 'LGT-05-SND', quantity: 5 })).toBe(false);
      }
      expect(await store.add(added, { sku: 'LGT-05-SND', quantity: 1 })).toBe(1);
      expect(await store.read(added)).toEqual({
        lines: [{ sku: 'LGT-05-SND', quantity: 1 }],
        settings: {},
      });
      await store.saveSettings(configured, { region: 'us' });
      expect(await store.read(configured)).toEqual({ lines: [], settings: { region: 'us' } });
      // Live again: a line is set, one past the cap refused, the settings replaced.
      expect(await store.set(added, { sku: 'LGT-05-SND', quantity: 98 })).toBe(true);
      expect(await store.add(added, { sku: 'LGT-05-SND', quantity: 2 })).toBeUndefined();
      await store.saveSettings(added, { region: 'eu', country: 'FR' });
      expect(await store.read(added)).toEqual({
        lines: [{ sku: 'LGT-05-SND', quantity: 98 }],
        settings: { region: 'eu', country: 'FR' },
      });
    } finally {
      await store.close();
    }
  });
});
