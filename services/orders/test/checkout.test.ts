import { createHmac, randomUUID } from 'node:crypto';
import { type RunningShop, startShop } from '@bazaar/testing/shop';
import {
  shippingAddress as address,
  declinedCard,
  devAdmin,
  goodCard,
  type ShopClient,
  shopClient,
} from '@bazaar/testing/shop-client';
import { type SmtpSink, startSmtpSink } from '@bazaar/testing/smtp-sink';
import { waitFor } from '@bazaar/testing/until';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, test } from 'vitest';

/**
 * The checkout through the gateway, with every service running as its own process, events on the
 * bus (PostgreSQL, or NATS with NATS_URL) and mail going to a real SMTP server.
 */
let shop: RunningShop;
let smtp: SmtpSink;
let admin: string;
let client: ShopClient;

beforeAll(async () => {
  smtp = await startSmtpSink();
  shop = await startShop(inject('postgresUrl'), {
    notifications: { SMTP_URL: smtp.url, SEND_INTERVAL_MS: '100' },
    orders: { ORDER_SWEEP_INTERVAL_MS: '200', PENDING_GRACE_SECONDS: '2' },
    gateway: { RATE_LIMIT_PER_MINUTE: '100000' },
  });
  client = shopClient(shop.url);
  admin = (await client.signIn(devAdmin.email, devAdmin.password)).accessToken;
}, 60_000);

afterAll(async () => {
  await shop?.stop();
  await smtp?.close();
});

const call = (...args: Parameters<ShopClient['call']>) => client.call(...args);
const newCustomer = (email?: string) => client.newCustomer(email);
const stockedSku = (onHand: number) => client.stockedSku(admin, onHand);
const available = (sku: string) => client.available(sku);
const cartWith = (bearer: string, sku: string, quantity: number) =>
  client.cartWith(bearer, sku, quantity);
const checkout = (bearer: string, key: string, payment?: object) =>
  client.checkout(bearer, key, payment);

const pendingOrders = async (bearer: string): Promise<Array<{ id: string }>> =>
  (await call('GET', '/api/orders', { bearer })).body.items.filter(
    (order: { status: string }) => order.status === 'pending',
  );
/** A SKU's stock as the back office sees it: on hand, reserved, available. */
const stock = async (sku: string) =>
  (await call('GET', `/api/admin/inventory/${sku}`, { bearer: admin })).body;

const until = <T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000) =>
  waitFor(probe, done, { timeoutMs, context: () => shop.output() });

// A test's events are relayed and applied as it runs: what it printed must show no failure.
let printedBefore = 0;
beforeEach(() => {
  printedBefore = shop.output().length;
});
afterEach(() => {
  expect(shop.output().slice(printedBefore)).not.toMatch(
    /outbox relay failed|event failed|dead letter/,
  );
});

describe('a guest who signs up and checks out', () => {
  let sku: string;
  let customer: Awaited<ReturnType<typeof newCustomer>>;
  let merged: Awaited<ReturnType<typeof call>>;
  let order: Awaited<ReturnType<typeof checkout>>;

  beforeAll(async () => {
    sku = await stockedSku(10);
    const guest = await call('POST', '/api/cart/items', { body: { sku, quantity: 2 } });
    expect(guest.status, JSON.stringify(guest.body)).toBe(200);
    customer = await newCustomer();
    merged = await call('POST', '/api/cart/merge', {
      bearer: customer.token,
      body: { cartToken: guest.body.cartToken },
    });
    order = await checkout(customer.token, randomUUID());
  });

  test('the guest cart joins the new account', () => {
    expect(merged.body.items).toEqual([expect.objectContaining({ sku, quantity: 2 })]);
  });

  test("the order to a UK address is confirmed at the UK's prices, VAT included, shipped free from £50, paid by card", () => {
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    expect(order.body).toMatchObject({
      status: 'confirmed',
      region: 'uk',
      taxIncluded: true,
      lines: [{ sku, quantity: 2, unitPrice: { amount: 2500, currency: 'GBP' } }],
      subtotal: { amount: 5000 },
      discount: { amount: 0 },
      shipping: { amount: 0 },
      shippingOption: { id: 'uk-standard' },
      // The VAT in £50.00 at 20 %: 50.00 / 6.
      tax: { amount: 833 },
      total: { amount: 5000, currency: 'GBP' },
      payment: { method: 'card', brand: 'visa', last4: '4242' },
    });
  });

  test('the stock goes down and the cart empties', async () => {
    expect(await available(sku)).toBe(8);
    await until(
      () => call('GET', '/api/cart', { bearer: customer.token }),
      (cart) => cart.body.items.length === 0,
    );
  });

  test('a receipt with the total is mailed to the customer', async () => {
    const receipt = await until(
      async () =>
        smtp.received.find((mail) =>
          mail.subject?.includes(order.body.id.slice(0, 8).toUpperCase()),
        ),
      (mail) => mail !== undefined,
    );
    expect(receipt?.to).toMatchObject({ text: customer.email });
    expect(receipt?.text).toMatch(/Total\s+£50\.00/);
    expect(receipt?.text).toMatch(/VAT included\s+£8\.33/);
  });

  test('the order is for its customer and the admins to see, no one else', async () => {
    const mine = await call('GET', '/api/orders', { bearer: customer.token });
    expect(mine.body.items.map((item: { id: string }) => item.id)).toEqual([order.body.id]);
    const stranger = await newCustomer();
    expect(
      (await call('GET', `/api/orders/${order.body.id}`, { bearer: stranger.token })).status,
    ).toBe(404);
    expect((await call('GET', `/api/orders/${order.body.id}`, { bearer: admin })).status).toBe(200);
  });
});

describe('a guest who checks out without an account', () => {
  const email = `guest-${randomUUID().slice(0, 8)}@example.com`;
  let cartToken: string;
  let placed: Awaited<ReturnType<typeof call>>;

  beforeAll(async () => {
    const sku = await stockedSku(5);
    cartToken = (await call('POST', '/api/cart/items', { body: { sku, quantity: 1 } })).body
      .cartToken;
    placed = await call('POST', '/api/checkout', {
      headers: { 'x-cart-token': cartToken, 'idempotency-key': randomUUID() },
      body: { email, shippingAddress: address, payment: goodCard },
    });
  });

  test('buys the guest cart with an email address, and gets the order with its own link', () => {
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body).toMatchObject({ status: 'confirmed', email });
    expect(placed.body.accessToken).toMatch(/^[\w-]{43}$/);
  });

  test('the link opens the order without signing in; any other token opens nothing', async () => {
    const byLink = await call('GET', `/api/orders/by-token/${placed.body.accessToken}`);
    expect(byLink.status).toBe(200);
    expect(byLink.body).toMatchObject({ id: placed.body.id, total: placed.body.total });
    expect((await call('GET', `/api/orders/by-token/${'A'.repeat(43)}`)).status).toBe(404);
    // The order id is no key to it.
    expect((await call('GET', `/api/orders/${placed.body.id}`)).status).toBe(401);
  });

  test('the receipt mailed to the address carries the link, and the cart empties', async () => {
    const receipt = await until(
      async () =>
        smtp.received.find((mail) =>
          mail.subject?.includes(placed.body.id.slice(0, 8).toUpperCase()),
        ),
      (mail) => mail !== undefined,
    );
    expect(receipt?.to).toMatchObject({ text: email });
    expect(receipt?.text).toContain(`/order/${placed.body.accessToken}`);
    await until(
      () => call('GET', '/api/cart', { headers: { 'x-cart-token': cartToken } }),
      (cart) => cart.body.items.length === 0,
    );
  });

  test('without an email, or without a cart token, a guest checkout is refused naming what is missing', async () => {
    const noEmail = await call('POST', '/api/checkout', {
      headers: { 'x-cart-token': cartToken, 'idempotency-key': randomUUID() },
      body: { shippingAddress: address, payment: goodCard },
    });
    const noCart = await call('POST', '/api/checkout', {
      headers: { 'idempotency-key': randomUUID() },
      body: { email, shippingAddress: address, payment: goodCard },
    });
    expect(noEmail.status).toBe(400);
    expect(noEmail.body.errors).toEqual([expect.objectContaining({ field: 'email' })]);
    expect(noCart.status).toBe(401);
  });

  test('an account opened later with the address, once confirmed, lists the order', async () => {
    const customer = await newCustomer(email);
    const mine = await until(
      () => call('GET', '/api/orders', { bearer: customer.token }),
      (answer) => answer.body.items.length > 0,
    );
    expect(mine.body.items.map((order: { id: string }) => order.id)).toEqual([placed.body.id]);
  });
});

describe('a promotion code limited to 10 uses', () => {
  test('50 guests racing for it get exactly 10 discounted orders, the others a 422 that says why and their carts back; a declined card gives its use back', async () => {
    const code = `RACE${randomUUID().slice(0, 6).toUpperCase()}`;
    const created = await call('POST', '/api/admin/promotions', {
      bearer: admin,
      body: { code, kind: 'percentage', percent: 20, usageLimit: 10 },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const uses = async () =>
      (await call('GET', `/api/admin/promotions/${created.body.id}`, { bearer: admin })).body.uses;
    const sku = await stockedSku(60);
    const guestWithCode = async () => {
      const cartToken = (await call('POST', '/api/cart/items', { body: { sku, quantity: 1 } })).body
        .cartToken as string;
      const applied = await call('POST', '/api/cart/promotions', {
        headers: { 'x-cart-token': cartToken },
        body: { code },
      });
      expect(applied.body.promotion).toMatchObject({ code, applied: true });
      return cartToken;
    };
    const checkoutAsGuest = (cartToken: string, payment: object) =>
      call('POST', '/api/checkout', {
        headers: { 'x-cart-token': cartToken, 'idempotency-key': randomUUID() },
        body: {
          email: `racer-${randomUUID().slice(0, 8)}@example.com`,
          shippingAddress: address,
          payment,
        },
      });

    const declined = await checkoutAsGuest(await guestWithCode(), declinedCard);
    expect(declined.status).toBe(402);
    expect(await uses()).toBe(0);

    const carts = await Promise.all(Array.from({ length: 50 }, guestWithCode));
    const answers = await Promise.all(
      carts.map((cartToken) => checkoutAsGuest(cartToken, goodCard)),
    );

    const placed = answers.filter((answer) => answer.status === 201);
    const refused = answers.filter((answer) => answer.status !== 201);
    expect(placed).toHaveLength(10);
    for (const { body } of placed) {
      expect(body).toMatchObject({ promotion: { code } });
      expect(body.discount.amount).toBe(Math.round(body.subtotal.amount / 5));
    }
    expect(new Set(refused.map((answer) => `${answer.status} ${answer.body.code}`))).toEqual(
      new Set(['422 promotion_used_up']),
    );
    expect(await uses()).toBe(10);
    const keptCart = carts[answers.findIndex((answer) => answer.status !== 201)] as string;
    expect(
      (await call('GET', '/api/cart', { headers: { 'x-cart-token': keptCart } })).body.itemCount,
    ).toBe(1);
  }, 60_000);
});

describe('checkout through the gateway', () => {
  test('a declined card is a 402; the stock is given back; the same request again gets the same 402', async () => {
    const sku = await stockedSku(5);
    const customer = await newCustomer();
    await cartWith(customer.token, sku, 1);
    const key = randomUUID();
    const declined = await checkout(customer.token, key, declinedCard);
    expect(declined.status).toBe(402);
    expect(declined.body).toMatchObject({ code: 'card_declined', orderId: expect.any(String) });
    expect(await available(sku)).toBe(5);
    const again = await checkout(customer.token, key, declinedCard);
    expect(again.status).toBe(402);
    expect(again.body.orderId).toBe(declined.body.orderId);
    const insufficient = await checkout(customer.token, randomUUID(), {
      method: 'card',
      token: 'tok_chargeDeclinedInsufficientFunds',
    });
    expect(insufficient.status).toBe(402);
    expect(insufficient.body.code).toBe('insufficient_funds');
  });

  test('more than is in stock is a 409 naming the SKU, and nothing is held', async () => {
    const sku = await stockedSku(1);
    const customer = await newCustomer();
    await cartWith(customer.token, sku, 2);
    const answer = await checkout(customer.token, randomUUID());
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ code: 'out_of_stock', skus: [sku] });
    expect(await available(sku)).toBe(1);
  });

  test('ten identical requests at once make one order and one payment', async () => {
    const sku = await stockedSku(10);
    const customer = await newCustomer();
    await cartWith(customer.token, sku, 1);
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => checkout(customer.token, key)),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    const orderId = answers[0]?.body.id;
    const { rows } = await shop
      .db('payments')
      .query('SELECT count(*)::int AS n FROM payments WHERE order_id = $1', [orderId]);
    expect(rows[0].n).toBe(1);
    expect(await available(sku)).toBe(9);
  });

  test('checkouts of one cart sent together under different keys (a double click, two tabs, a retry with a new key): one order, one charge', async () => {
    const sku = await stockedSku(100);
    for (const together of [2, 2, 2, 2, 2, 12]) {
      const customer = await newCustomer();
      await cartWith(customer.token, sku, 2);

      const answers = await Promise.all(
        Array.from({ length: together }, () => checkout(customer.token, randomUUID())),
      );

      const placed = answers.filter((answer) => answer.status === 201);
      expect(placed, JSON.stringify(answers.map((answer) => answer.body))).toHaveLength(1);
      // Those that read the cart while the first held its lines are told so; one that came after
      // the first had finished finds the cart empty. None is charged.
      for (const answer of answers.filter((other) => other.status !== 201)) {
        expect([answer.status, answer.body.code]).toEqual(
          answer.status === 409 ? [409, 'cart_in_checkout'] : [422, 'cart_empty'],
        );
      }
      const mine = (await call('GET', '/api/orders', { bearer: customer.token })).body.items;
      const ids = mine.map((order: { id: string }) => order.id);
      const { rows: charges } = await shop
        .db('payments')
        .query('SELECT order_id FROM payments WHERE order_id = ANY($1)', [ids]);
      expect(charges.map((charge: { order_id: string }) => charge.order_id)).toEqual([
        placed[0]?.body.id,
      ]);
      expect((await call('GET', '/api/cart', { bearer: customer.token })).body.items).toEqual([]);
    }
    expect(await available(sku)).toBe(88);
  });

  test('a checkout that fails (a declined card, too little stock) gives its lines back to the cart', async () => {
    const sku = await stockedSku(3);
    const customer = await newCustomer();
    await cartWith(customer.token, sku, 2);
    const lines = async () =>
      (await call('GET', '/api/cart', { bearer: customer.token })).body.items.map(
        (item: { sku: string; quantity: number }) => [item.sku, item.quantity],
      );

    expect((await checkout(customer.token, randomUUID(), declinedCard)).status).toBe(402);
    expect(await lines()).toEqual([[sku, 2]]);
    await cartWith(customer.token, sku, 2);
    expect((await checkout(customer.token, randomUUID())).status).toBe(409);
    expect(await lines()).toEqual([[sku, 4]]);
  });

  test('the Idempotency-Key is required, and one key cannot pay for two different checkouts', async () => {
    const sku = await stockedSku(10);
    const customer = await newCustomer();
    await cartWith(customer.token, sku, 1);
    const missing = await call('POST', '/api/checkout', {
      bearer: customer.token,
      body: { shippingAddress: address, payment: goodCard },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'idempotency-key' })]);
    const key = randomUUID();
    expect((await checkout(customer.token, key)).status).toBe(201);
    await cartWith(customer.token, sku, 1);
    const other = await call('POST', '/api/checkout', {
      bearer: customer.token,
      headers: { 'idempotency-key': key },
      body: { shippingAddress: { ...address, city: 'Paris', country: 'FR' }, payment: goodCard },
    });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
  });

  test('bad input is a 400 naming the field, never a 500', async () => {
    const customer = await newCustomer();
    const answer = await call('POST', '/api/checkout', {
      bearer: customer.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { shippingAddress: { ...address, country: 'Britain' }, payment: goodCard },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      expect.objectContaining({ field: 'shippingAddress.country' }),
    ]);
    const empty = await checkout(customer.token, randomUUID());
    expect(empty.status).toBe(422);
    expect(empty.body.code).toBe('cart_empty');
  });

  test('cancel refunds and returns the stock; ship mails the tracking number', async () => {
    const sku = await stockedSku(4);
    const customer = await newCustomer();
    await cartWith(customer.token, sku, 2);
    const first = (await checkout(customer.token, randomUUID())).body;
    await until(
      () => call('GET', '/api/cart', { bearer: customer.token }),
      (cart) => cart.body.items.length === 0,
    );
    await cartWith(customer.token, sku, 1);
    const second = (await checkout(customer.token, randomUUID())).body;
    expect(await available(sku)).toBe(1);

    const cancelled = await call('POST', `/api/orders/${first.id}/cancel`, {
      bearer: customer.token,
    });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(await available(sku)).toBe(3);
    await until(
      async () => (await call('GET', `/api/orders/${first.id}`, { bearer: customer.token })).body,
      (seen) =>
        seen.history.some((entry: { entry: string }) => entry.entry === 'payment.refunded.v1'),
    );

    const shipped = await call('POST', `/api/admin/orders/${second.id}/ship`, {
      bearer: admin,
      body: { carrier: 'DHL', trackingNumber: 'JD014600006281' },
    });
    expect(shipped.body).toMatchObject({ status: 'shipped', shipment: { carrier: 'DHL' } });
    expect(
      (await call('POST', `/api/orders/${second.id}/cancel`, { bearer: customer.token })).status,
    ).toBe(409);
    await until(
      async () =>
        smtp.received.filter(
          (mail) => mail.to && 'text' in mail.to && mail.to.text === customer.email,
        ),
      (mails) =>
        mails.some((mail) => mail.text?.includes('JD014600006281')) &&
        mails.some((mail) => /cancelled/.test(mail.subject ?? '')),
    );
  });

  test('a return of a shipped order: asked for, received with a damaged unit, refunded its share; the sellable unit back on the shelf; mails at each step', async () => {
    const sku = await stockedSku(5);
    const customer = await newCustomer();
    await cartWith(customer.token, sku, 3);
    const order = (await checkout(customer.token, randomUUID())).body;
    await call('POST', `/api/admin/orders/${order.id}/ship`, {
      bearer: admin,
      body: { carrier: 'DHL', trackingNumber: 'JD014600006282' },
    });
    const asked = await call('POST', `/api/orders/${order.id}/returns`, {
      bearer: customer.token,
      body: { lines: [{ sku, quantity: 2 }], reason: 'damaged' },
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    const waiting = await call('GET', '/api/admin/returns?status=requested', { bearer: admin });
    expect(waiting.body.items.map((entry: { id: string }) => entry.id)).toContain(asked.body.id);
    const received = await call('POST', `/api/admin/returns/${asked.body.id}/receive`, {
      bearer: admin,
      body: { damaged: [{ sku, quantity: 1 }] },
    });
    expect(received.status, JSON.stringify(received.body)).toBe(200);
    // Two of three units: two thirds of what the line was charged, rounded down; shipping kept.
    const line = order.lines[0];
    const lineCharged =
      line.lineTotal.amount - line.discount.amount + (order.taxIncluded ? 0 : line.tax.amount);
    expect(received.body).toMatchObject({
      status: 'refunded',
      refund: { amount: { amount: Math.floor((lineCharged * 2) / 3) }, shipping: { amount: 0 } },
      refunded: { amount: Math.floor((lineCharged * 2) / 3) },
    });
    expect(await stock(sku)).toMatchObject({ onHand: 3, reserved: 0 });
    const seen = await until(
      async () => (await call('GET', `/api/orders/${order.id}`, { bearer: customer.token })).body,
      (body) =>
        body.history.some((entry: { entry: string }) => entry.entry === 'payment.refunded.v1'),
    );
    expect(seen.status).toBe('shipped');
    await until(
      async () =>
        smtp.received.filter(
          (mail) => mail.to && 'text' in mail.to && mail.to.text === customer.email,
        ),
      (mails) =>
        mails.some((mail) => /return request/.test(mail.subject ?? '')) &&
        mails.some((mail) => /received your return/.test(mail.subject ?? '')),
    );
  });

  test('some units of a confirmed order cancelled before shipping: refunded at once, back in stock, the rest of the order goes ahead', async () => {
    const sku = await stockedSku(4);
    const customer = await newCustomer();
    await cartWith(customer.token, sku, 3);
    const order = (await checkout(customer.token, randomUUID())).body;
    expect(await available(sku)).toBe(1);
    const cancelled = await call('POST', `/api/orders/${order.id}/cancel-lines`, {
      bearer: customer.token,
      body: { lines: [{ sku, quantity: 2 }] },
    });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(201);
    expect(cancelled.body).toMatchObject({ kind: 'cancellation', status: 'refunded' });
    expect(await available(sku)).toBe(3);
    const seen = (await call('GET', `/api/orders/${order.id}`, { bearer: customer.token })).body;
    expect(seen.status).toBe('confirmed');
    const tooMany = await call('POST', `/api/orders/${order.id}/cancel-lines`, {
      bearer: customer.token,
      body: { lines: [{ sku, quantity: 2 }] },
    });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.errors[0]).toMatchObject({ field: 'lines.0.quantity' });
  });

  test('a refund made at the payment provider (its webhook) refunds the order: status and history follow the money', async () => {
    const sku = await stockedSku(5);
    const customer = await newCustomer();
    await cartWith(customer.token, sku, 1);
    const order = (await checkout(customer.token, randomUUID())).body;
    const body = JSON.stringify({
      id: `evt_${randomUUID()}`,
      type: 'charge.refunded',
      data: { orderId: order.id },
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = createHmac('sha256', 'dev-only-webhook-secret-do-not-use')
      .update(`${timestamp}.${body}`)
      .digest('hex');

    const delivered = await fetch(`${shop.url}/api/payments/webhooks/test`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'bazaar-signature': `t=${timestamp},v1=${signature}`,
      },
      body,
    });

    expect(delivered.status).toBe(200);
    const refunded = await until(
      async () => (await call('GET', `/api/orders/${order.id}`, { bearer: customer.token })).body,
      (seen) => seen.status !== 'confirmed',
    );
    expect(refunded.status).toBe('refunded');
    expect(refunded.history.map((entry: { entry: string }) => entry.entry)).toContain(
      'payment.refunded.v1',
    );
    const ship = await call('POST', `/api/admin/orders/${order.id}/ship`, {
      bearer: admin,
      body: { carrier: 'DHL', trackingNumber: 'JD014600006282' },
    });
    expect(ship.status).toBe(409);
  });

  test('a retry of a checkout still running is answered 409 with Retry-After before the gateway would give up', async () => {
    const sku = await stockedSku(5);
    const customer = await newCustomer();
    await cartWith(customer.token, sku, 1);
    const key = randomUUID();
    shop.signal('payments', 'SIGSTOP');
    try {
      const first = checkout(customer.token, key);
      await until(
        () => pendingOrders(customer.token),
        (pending) => pending.length === 1,
      );
      const started = Date.now();
      const retry = await checkout(customer.token, key);
      const waitedMs = Date.now() - started;

      expect(retry.status).toBe(409);
      expect(retry.body.code).toBe('checkout_in_progress');
      expect(Number(retry.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(waitedMs).toBeLessThan(9000);
      shop.signal('payments', 'SIGCONT');
      await first;
    } finally {
      shop.signal('payments', 'SIGCONT');
    }
  }, 30_000);

  test('orders killed with SIGKILL between reservation and payment: after restart, order, stock and payment agree', async () => {
    const sku = await stockedSku(5);
    const customer = await newCustomer();
    await cartWith(customer.token, sku, 1);
    // Payments frozen: orders takes the stock, then waits on the card.
    shop.signal('payments', 'SIGSTOP');
    const interrupted = checkout(customer.token, randomUUID()).catch(() => undefined);
    const pending = await until(
      () => pendingOrders(customer.token),
      (orders) => orders.length === 1,
    );
    const orderId = pending[0]?.id;
    // Taken off the shelf before the card is charged.
    await until(
      () => stock(sku),
      (level) => level.onHand === 4 && level.reserved === 0,
    );
    shop.signal('orders', 'SIGKILL');
    shop.signal('payments', 'SIGCONT');
    await interrupted;
    await shop.restart('orders');

    const recovered = await until(
      async () => (await call('GET', `/api/orders/${orderId}`, { bearer: customer.token })).body,
      (order) => order.status !== 'pending',
      20_000,
    );
    const payment = (
      await shop.db('payments').query('SELECT status FROM payments WHERE order_id = $1', [orderId])
    ).rows[0];
    const cart = await until(
      () => call('GET', '/api/cart', { bearer: customer.token }),
      (answer) => (recovered.status === 'confirmed') === (answer.body.items.length === 0),
    );
    if (recovered.status === 'confirmed') {
      expect(await stock(sku)).toMatchObject({ onHand: 4, reserved: 0, available: 4 });
      expect(payment.status).toBe('captured');
      expect(cart.body.items).toEqual([]);
    } else {
      expect(recovered.status).toBe('payment_failed');
      expect(await stock(sku)).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
      expect(payment?.status ?? 'none').not.toMatch(/authorized|captured/);
      expect(cart.body.items).toEqual([expect.objectContaining({ sku, quantity: 1 })]);
    }
  }, 60_000);

  test('the business metrics move with a confirmed, a declined and an out-of-stock checkout', async () => {
    const metric = shop.metric;
    const snapshot = async () => ({
      confirmed: await metric('orders', 'bazaar_checkouts_total', 'outcome="confirmed"'),
      failed: await metric('orders', 'bazaar_checkouts_total', 'outcome="payment_failed"'),
      rejected: await metric('orders', 'bazaar_checkouts_total', 'outcome="rejected"'),
      declined: await metric(
        'payments',
        'bazaar_payment_authorizations_total',
        'reason="card_declined"',
      ),
      short: await metric('inventory', 'bazaar_reservations_total', 'outcome="out_of_stock"'),
    });
    const before = await snapshot();
    const sku = await stockedSku(1);
    const customer = await newCustomer();
    await cartWith(customer.token, sku, 2);
    expect((await checkout(customer.token, randomUUID())).status).toBe(409);
    await call('PATCH', `/api/cart/items/${sku}`, {
      bearer: customer.token,
      body: { quantity: 1 },
    });
    expect((await checkout(customer.token, randomUUID(), declinedCard)).status).toBe(402);
    expect((await checkout(customer.token, randomUUID())).status).toBe(201);
    expect(await snapshot()).toEqual({
      confirmed: before.confirmed + 1,
      failed: before.failed + 1,
      rejected: before.rejected + 1,
      declined: before.declined + 1,
      short: before.short + 1,
    });
    const orders = await (await fetch(shop.metricsUrlOf('orders'))).text();
    expect(orders).toMatch(/^bazaar_outbox_oldest_pending_age_seconds\{[^}]*\} \d/m);
    expect(orders).toMatch(
      /^bazaar_checkout_duration_seconds_count\{[^}]*outcome="confirmed"[^}]*\} \d/m,
    );
  });
});
