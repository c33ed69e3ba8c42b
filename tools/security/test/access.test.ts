import { createHmac, randomUUID } from 'node:crypto';
import { services } from '@bazaar/launcher/services';
import { devAdmin, goodCard, shippingAddress } from '@bazaar/testing/shop-client';
import { signUpBuyers, startTunedShop, type TunedShop } from '@bazaar/testing/tuned-shop';
import { waitFor } from '@bazaar/testing/until';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { fillPath, publicOperations } from '../src/openapi.js';

/** Who may see and change what: other customers' things, admin routes, fields a client must not set. */
let shop: TunedShop;
let alice: { token: string; orderId: string; email: string };
let bob: string;
let sku: string;

beforeAll(async () => {
  shop = await startTunedShop(inject('postgresUrl'));
  const { client, admin } = shop;
  sku = await client.stockedSku(admin, 1000, 1999);
  const customer = await client.newCustomer();
  await client.cartWith(customer.token, sku, 1);
  const order = await client.checkout(customer.token, randomUUID());
  expect(order.status).toBe(201);
  alice = { token: customer.token, orderId: order.body.id, email: customer.email };
  [bob = ''] = await signUpBuyers(client, 1);
});

afterAll(async () => {
  await shop?.shop.stop();
});

describe('broken object-level authorization', () => {
  test("another customer's order, read or cancelled, is a 404 that gives nothing of it away", async () => {
    for (const [method, path] of [
      ['GET', `/api/orders/${alice.orderId}`],
      ['POST', `/api/orders/${alice.orderId}/cancel`],
    ] as const) {
      const answer = await shop.client.call(method, path, { bearer: bob });
      expect([403, 404], `${method} ${path}`).toContain(answer.status);
      expect(JSON.stringify(answer.body)).not.toMatch(
        new RegExp(`${alice.email}|${shippingAddress.line1}|confirmed`),
      );
    }
    const mine = await shop.client.call('GET', '/api/orders', { bearer: bob });
    expect(mine.body.items).toEqual([]);
    const still = await shop.client.call('GET', `/api/orders/${alice.orderId}`, {
      bearer: alice.token,
    });
    expect(still.body.status).toBe('confirmed');
  });

  test('every admin route of every service refuses a customer (403) and a stranger (401)', async () => {
    const operations = (await publicOperations(shop.shop.urlOf)).filter((operation) =>
      operation.path.startsWith('/api/admin/'),
    );
    expect(operations.length).toBeGreaterThan(8);
    for (const operation of operations) {
      const path = fillPath(operation, () =>
        operation.path.includes('inventory') ? sku : alice.orderId,
      );
      const body = operation.body ? {} : undefined;
      const asCustomer = await shop.client.call(operation.method, path, { bearer: bob, body });
      const asStranger = await shop.client.call(operation.method, path, { body });
      expect(
        [asCustomer.status, asStranger.status],
        `${operation.method} ${operation.path}`,
      ).toEqual([403, 401]);
    }
  });
});

describe('sign-up', () => {
  test("does not tell which addresses have accounts: the admin's address gets the answer a new one gets", async () => {
    const ask = (email: string) =>
      shop.client.call('POST', '/api/auth/register', {
        body: { email, password: 'correct horse battery staple', name: 'Mallory' },
      });
    const fresh = await ask(`nobody-${randomUUID().slice(0, 8)}@example.com`);
    const taken = await ask(devAdmin.email);

    expect(taken.status).toBe(202);
    expect({ ...taken.body, email: 'x' }).toEqual({ ...fresh.body, email: 'x' });
  });

  test('mails nothing the registrant wrote to an address before its owner confirms it', async () => {
    const victim = `victim-${randomUUID().slice(0, 8)}@example.com`;
    const spam = 'Cheap pills at spam.example';
    await shop.client.call('POST', '/api/auth/register', {
      body: { email: victim, password: 'correct horse battery staple', name: spam },
    });
    const mailed = await shop.client.mailTo(victim, 'email_confirmation');
    expect(mailed).not.toContain(spam);
    await shop.client.call('POST', '/api/auth/register', {
      body: { email: devAdmin.email, password: 'correct horse battery staple', name: spam },
    });
    expect(await shop.client.mailTo(devAdmin.email, 'sign_up_repeated')).not.toContain(spam);
  });
});

describe('mass assignment', () => {
  test('a role in a sign-up or a profile change does not make an admin', async () => {
    const email = `mallory-${randomUUID().slice(0, 8)}@example.com`;
    const signUp = await shop.client.call('POST', '/api/auth/register', {
      body: { email, password: 'correct horse battery staple', name: 'Mallory', role: 'admin' },
    });
    expect(signUp.status).toBe(202);
    const confirmed = await shop.client.call('POST', '/api/auth/verify-email', {
      body: { token: await shop.client.confirmationToken(email) },
    });
    const token = confirmed.body.accessToken;
    const patch = await shop.client.call('PATCH', '/api/me', {
      bearer: token,
      body: { role: 'admin' },
    });
    expect([200, 400]).toContain(patch.status);
    expect((await shop.client.call('GET', '/api/admin/users', { bearer: token })).status).toBe(403);
    expect((await shop.client.call('GET', '/api/me', { bearer: token })).body.role).toBe(
      'customer',
    );
  });

  test('prices, totals, status and owner in a body are refused or ignored: the charge is the server price times the quantity', async () => {
    const [buyer = ''] = await signUpBuyers(shop.client, 1);
    const cheap = await shop.client.call('POST', '/api/cart/items', {
      bearer: buyer,
      body: { sku, quantity: 2, price: 1, unitPrice: { amount: 1, currency: 'USD' } },
    });
    expect(cheap.status).toBe(400);
    await shop.client.cartWith(buyer, sku, 2);
    const forged = await shop.client.call('POST', '/api/checkout', {
      bearer: buyer,
      headers: { 'idempotency-key': randomUUID() },
      body: {
        shippingAddress,
        payment: goodCard,
        total: { amount: 1, currency: 'USD' },
        status: 'shipped',
        userId: alice.orderId,
      },
    });
    expect(forged.status).toBe(400);
    const order = await shop.client.checkout(buyer, randomUUID());
    expect(order.status).toBe(201);
    const charge = await shop.shop
      .db('payments')
      .query('SELECT amount FROM payments WHERE order_id = $1', [order.body.id]);
    // Two at £19.99 to a UK address, VAT included, and £3.99 of standard shipping under £50.
    expect(charge.rows[0].amount).toBe(2 * 1999 + 399);
    expect(order.body.total.amount).toBe(2 * 1999 + 399);
  });

  test('a quantity of 0, -1, 1.5 or 1e9 is a 4xx naming the field', async () => {
    for (const quantity of [0, -1, 1.5, 1e9]) {
      const answer = await shop.client.call('POST', '/api/cart/items', {
        bearer: bob,
        body: { sku, quantity },
      });
      expect(answer.status, `quantity ${quantity}`).toBe(400);
      expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'quantity' })]);
    }
  });
});

describe('what operators see, shoppers do not', () => {
  test('no /metrics through the gateway nor on any service port: the Node.js version, heap and order volume stay on the metrics port', async () => {
    const paths = [
      `${shop.shop.url}/metrics`,
      `${shop.shop.url}/metrics/`,
      ...services.map(({ name }) => `${shop.shop.urlOf(name)}/metrics`),
    ];

    const answers = await Promise.all(
      paths.map(async (url) => {
        const response = await fetch(url);
        return { url, status: response.status, body: await response.text() };
      }),
    );

    for (const answer of answers) {
      expect(answer.status, answer.url).toBe(404);
      expect(answer.body, answer.url).not.toMatch(/nodejs_version_info|http_requests_total/);
    }
    const scraped = await (await fetch(shop.shop.metricsUrlOf('orders'))).text();
    expect(scraped).toContain('bazaar_checkouts_total');
  });
});

describe('payment webhooks through the gateway', () => {
  // The documented format, computed here rather than borrowed from the service it tests.
  const signWebhook = (body: string, secret: string, timestamp: number) =>
    `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
  const deliver = async (body: string, signature: string) => {
    const response = await fetch(`${shop.shop.url}/api/payments/webhooks/test`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'bazaar-signature': signature },
      body,
    });
    return { status: response.status, body: await response.json() };
  };

  test('a refund notice is applied once; the same delivery again, and a bad signature, are 400s that change nothing', async () => {
    const body = JSON.stringify({
      id: `evt_${randomUUID()}`,
      type: 'charge.refunded',
      data: { orderId: alice.orderId },
    });
    const secret = 'dev-only-webhook-secret-do-not-use';
    const now = Math.floor(Date.now() / 1000);

    const forged = await deliver(body, signWebhook(body, 'not-the-shop-secret-at-all!', now));
    expect(forged.status).toBe(400);
    const payment = () =>
      shop.shop
        .db('payments')
        .query('SELECT status FROM payments WHERE order_id = $1', [alice.orderId]);
    expect((await payment()).rows[0].status).toBe('captured');

    const first = await deliver(body, signWebhook(body, secret, now));
    expect(first.body).toEqual({ received: true, applied: true });
    const replayed = await deliver(body, signWebhook(body, secret, now));
    expect(replayed.status).toBe(400);
    expect(replayed.body.code).toBe('webhook_replayed');
    expect((await payment()).rows[0].status).toBe('refunded');
    // The order follows the money: refunded, not left confirmed.
    const order = await waitFor(
      async () =>
        (await shop.client.call('GET', `/api/orders/${alice.orderId}`, { bearer: alice.token }))
          .body,
      (seen) => seen.status !== 'confirmed',
    );
    expect(order.status).toBe('refunded');
  });
});
