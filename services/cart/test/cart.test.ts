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
import { catalogPrices } from '../src/clients/catalog.js';
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
      catalogPrices: catalogPrices(
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
      expect(cart).toMatchObject({ items: [], removed: ['LGT-05-SND'], subtotal: null });
    } finally {
      await catalog.db.query("UPDATE products SET status = 'active' WHERE slug = 'oak-desk-lamp'");
    }
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

    const claimed = await internal('POST', `/internal/carts/${userId}/checkouts`, {
      orderId: first,
      lines,
    });
    const refused = await internal('POST', `/internal/carts/${userId}/checkouts`, {
      orderId: second,
      lines,
    });

    expect(claimed.statusCode, claimed.body).toBe(200);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'cart_in_checkout', heldBy: [first] });
    expect((await send('GET', '/api/cart', { bearer })).json().items).toEqual([]);
    expect((await internal('GET', `/internal/carts/${userId}`)).json()).toEqual({
      userId,
      lines: [],
      checkoutsInProgress: [first],
    });
  });

  test('twenty checkouts claiming one cart at the same moment: exactly one gets its lines', async () => {
    const userId = randomUUID();
    const bearer = await tokens.sign({ role: 'customer', audience: 'bazaar', subject: userId });
    await send('POST', '/api/cart/items', { bearer, payload: { sku: 'LGT-05-SND', quantity: 3 } });

    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        internal('POST', `/internal/carts/${userId}/checkouts`, {
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
      `/internal/carts/${userId}/checkouts/${orderId}/return`,
    );
    const late = await internal('POST', `/internal/carts/${userId}/checkouts`, {
      orderId,
      lines: [{ sku: 'LGT-05-SND', quantity: 2 }],
    });

    expect(returned.statusCode).toBe(204);
    expect(late.statusCode).toBe(409);
    expect(quantities((await send('GET', '/api/cart', { bearer })).json())).toEqual([
      ['LGT-05-SND', 2],
    ]);
    expect((await internal('GET', `/internal/carts/${userId}`)).json()).toMatchObject({
      checkoutsInProgress: [],
    });
  });

  test("a failed order's lines come back into the cart once; a bought order's never do", async () => {
    const userId = randomUUID();
    const bearer = await tokens.sign({ role: 'customer', audience: 'bazaar', subject: userId });
    await send('POST', '/api/cart/items', { bearer, payload: { sku: 'LGT-05-SND', quantity: 1 } });
    const failed = randomUUID();
    await internal('POST', `/internal/carts/${userId}/checkouts`, {
      orderId: failed,
      lines: [{ sku: 'LGT-05-SND', quantity: 1 }],
    });
    // Added while the checkout was running: it stays, and what comes back joins it.
    await send('POST', '/api/cart/items', { bearer, payload: { sku: 'LGT-05-SND', quantity: 2 } });

    const returned = await internal('POST', `/internal/carts/${userId}/checkouts/${failed}/return`);
    await internal('POST', `/internal/carts/${userId}/checkouts/${failed}/return`);

    expect(returned.statusCode).toBe(204);
    expect(quantities((await send('GET', '/api/cart', { bearer })).json())).toEqual([
      ['LGT-05-SND', 3],
    ]);

    const bought = randomUUID();
    await internal('POST', `/internal/carts/${userId}/checkouts`, {
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
    await internal('POST', `/internal/carts/${userId}/checkouts/${bought}/return`);

    expect((await send('GET', '/api/cart', { bearer })).json().items).toEqual([]);
    expect((await internal('GET', `/internal/carts/${userId}`)).json().checkoutsInProgress).toEqual(
      [],
    );
    const again = await internal('POST', `/internal/carts/${userId}/checkouts`, {
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
