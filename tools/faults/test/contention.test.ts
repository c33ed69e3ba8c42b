import { randomUUID } from 'node:crypto';
import { goodCard, shippingAddress } from '@bazaar/testing/shop-client';
import { signUpBuyers, startTunedShop, type TunedShop } from '@bazaar/testing/tuned-shop';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { ledgerViolations } from '../src/ledger.js';
import { subjectOf } from '../src/steady-checkouts.js';

/** Many buyers for few units, and one request sent many times: what a flash sale and a flaky network do. */
let shop: TunedShop;

beforeAll(async () => {
  shop = await startTunedShop(inject('postgresUrl'));
});

afterAll(async () => {
  await shop?.shop.stop();
});

test('500 buyers at once for 10 units: exactly 10 orders, the stock at 0, no 5xx', async () => {
  const { client, admin } = shop;
  const sku = await client.stockedSku(admin, 10);
  const buyers = await signUpBuyers(client, 500);
  for (let index = 0; index < buyers.length; index += 50) {
    await Promise.all(
      buyers.slice(index, index + 50).map((token) => client.cartWith(token, sku, 1)),
    );
  }

  const answers = await Promise.all(buyers.map((token) => client.checkout(token, randomUUID())));

  const statuses = answers.map((answer) => answer.status);
  expect(statuses.filter((status) => status >= 500)).toEqual([]);
  expect(statuses.filter((status) => status === 201)).toHaveLength(10);
  expect(statuses.filter((status) => status !== 201 && status !== 409)).toEqual([]);
  expect(await client.available(sku)).toBe(0);
  const accepted = answers
    .filter((answer) => answer.status === 201)
    .map((answer) => answer.body.id);
  const refused = answers
    .filter((answer) => answer.status === 409 && answer.body.orderId)
    .map((answer) => answer.body.orderId);
  expect(
    await ledgerViolations(shop.shop, {
      accepted,
      refused,
      initialStock: new Map([[sku, 10]]),
      unitsPutInCarts: new Map(buyers.map((token) => [subjectOf(token), 1])),
    }),
  ).toEqual([]);
});

test('each of 20 carts checked out 12 times at once under different keys (double clicks, tabs, retries with a new key): one order and one charge per cart', async () => {
  const { client, admin } = shop;
  const sku = await client.stockedSku(admin, 1000);
  const buyers = await signUpBuyers(client, 20);
  await Promise.all(buyers.map((token) => client.cartWith(token, sku, 3)));

  const answers = (
    await Promise.all(
      buyers.map((token) =>
        Promise.all(Array.from({ length: 12 }, () => client.checkout(token, randomUUID()))),
      ),
    )
  ).flat();

  const statuses = answers.map((answer) => answer.status);
  expect(statuses.filter((status) => status === 201)).toHaveLength(20);
  expect(statuses.filter((status) => status !== 201 && status !== 409 && status !== 422)).toEqual(
    [],
  );
  expect(await client.available(sku)).toBe(1000 - 20 * 3);
  expect(
    await ledgerViolations(shop.shop, {
      accepted: answers.filter((answer) => answer.status === 201).map((answer) => answer.body.id),
      refused: answers
        .filter((answer) => answer.status === 409)
        .map((answer) => answer.body.orderId),
      initialStock: new Map([[sku, 1000]]),
      unitsPutInCarts: new Map(buyers.map((token) => [subjectOf(token), 3])),
    }),
  ).toEqual([]);
});

test('one Idempotency-Key sent 50 times at once: one order, one charge, the same order in every answer (its link in the first only); another body under it is a 422', async () => {
  const { client, admin } = shop;
  const sku = await client.stockedSku(admin, 100);
  const [buyer = ''] = await signUpBuyers(client, 1);
  await client.cartWith(buyer, sku, 2);
  const key = randomUUID();

  const answers = await Promise.all(Array.from({ length: 50 }, () => client.checkout(buyer, key)));

  expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([201]));
  // The order's own link is given once, to the request that placed it (and in the receipt).
  const bodies = new Set(
    answers.map(({ body: { accessToken: _link, ...order } }) => JSON.stringify(order)),
  );
  expect(bodies.size).toBe(1);
  expect(answers.filter((answer) => answer.body.accessToken)).toHaveLength(1);
  const orderId = answers[0]?.body.id;
  const charges = await shop.shop
    .db('payments')
    .query('SELECT status, amount FROM payments WHERE order_id = $1', [orderId]);
  // Two £25.00 lamps to a UK address: £50.00 ships free there.
  expect(charges.rows).toEqual([{ status: 'captured', amount: 2 * 2500 }]);
  expect(await client.available(sku)).toBe(98);

  const other = await client.call('POST', '/api/checkout', {
    bearer: buyer,
    headers: { 'idempotency-key': key },
    body: {
      shippingAddress: { ...shippingAddress, city: 'Paris', country: 'FR' },
      payment: goodCard,
    },
  });
  expect(other.status).toBe(422);
  expect(other.body.code).toBe('idempotency_key_reused');
  expect(
    await ledgerViolations(shop.shop, { accepted: [orderId], initialStock: new Map([[sku, 100]]) }),
  ).toEqual([]);
});

test('the ledger catches what it is there to catch: each rule fires on damage planted in the databases', async () => {
  const { client, admin } = shop;
  const sku = await client.stockedSku(admin, 100);
  const buyers = await signUpBuyers(client, 3);
  const orders: string[] = [];
  for (const token of buyers) {
    await client.cartWith(token, sku, 1);
    orders.push((await client.checkout(token, randomUUID())).body.id);
  }
  expect(
    await ledgerViolations(shop.shop, { accepted: orders, initialStock: new Map([[sku, 100]]) }),
  ).toEqual([]);
  const [receipted, overcharged, misclaimed] = orders as [string, string, string];
  const db = (service: string) => shop.shop.db(service);
  // A second receipt for one order, through a second announcement of it.
  const second = randomUUID();
  await db('orders').query(
    `INSERT INTO outbox (id, type, subject, data, published_at)
     SELECT $1, type, subject, data, now() FROM outbox WHERE type = 'order.confirmed.v1' AND subject = $2`,
    [second, receipted],
  );
  await db('notifications').query(
    `INSERT INTO messages (id, event_id, kind, to_address, subject, text_body, html_body, status)
     VALUES ($1, $2, 'receipt', 'x@example.com', 'again', 'again', 'again', 'recorded')`,
    [randomUUID(), second],
  );
  await db('payments').query('UPDATE payments SET amount = amount + 1 WHERE order_id = $1', [
    overcharged,
  ]);
  await db('cart').query(
    `UPDATE cart_checkouts SET lines = '[{"sku": "OTHER-1", "quantity": 1}]' WHERE order_id = $1`,
    [misclaimed],
  );
  await db('inventory').query(
    'UPDATE reservation_lines SET quantity = quantity + 1 WHERE order_id = $1',
    [misclaimed],
  );
  // A code's uses: one an order says it used but never held, one committed and one held by orders
  // that do not exist, none of them counted by the code.
  const code = client.expectStatus(
    await client.call('POST', '/api/admin/promotions', {
      bearer: admin,
      body: {
        code: `LEDGER${randomUUID().slice(0, 6).toUpperCase()}`,
        kind: 'percentage',
        percent: 5,
      },
    }),
    201,
    'create a code',
  ).body;
  await db('orders').query('UPDATE orders SET promotion = $2 WHERE id = $1', [
    receipted,
    { code: code.code, description: '' },
  ]);
  const [ghostCommitted, ghostHeld] = [randomUUID(), randomUUID()];
  await db('catalog').query(
    `INSERT INTO promotion_uses (order_id, promotion_id, customer, status, expires_at)
     VALUES ($1, $3, 'ghost', 'committed', now() + interval '1 hour'),
            ($2, $3, 'ghost', 'held', now() + interval '1 hour')`,
    [ghostCommitted, ghostHeld, code.id],
  );

  // Refunds: one a return says went back that payments never gave, one payments wrote without
  // counting it, and a return received and never refunded (not yet due for the sweeper).
  await db('orders').query(
    `INSERT INTO returns (id, order_id, kind, status, reason, lines, refund, refunded)
     VALUES ($1, $2, 'return', 'refunded', 'changed_mind', '[]', 1000, 1000)`,
    [randomUUID(), receipted],
  );
  await db('orders').query(
    `INSERT INTO returns (id, order_id, kind, status, reason, lines, refund, updated_at)
     VALUES ($1, $2, 'return', 'received', 'changed_mind', '[]', 0, now() + interval '1 hour')`,
    [randomUUID(), misclaimed],
  );
  await db('payments').query('INSERT INTO refunds (id, order_id, amount) VALUES ($1, $2, 100)', [
    randomUUID(),
    misclaimed,
  ]);

  const violations = await ledgerViolations(shop.shop, {
    accepted: orders,
    refused: [misclaimed],
    initialStock: new Map([[sku, 100]]),
    unitsPutInCarts: new Map([[subjectOf(buyers[0] ?? ''), 0]]),
    // The damage never settles: waiting the usual minute for it would only slow the suite.
    settleTimeoutMs: 3000,
  });

  expect(violations).toEqual(
    expect.arrayContaining([
      `confirmed order ${receipted} has 2 receipts`,
      // £25.00 and £3.99 of UK shipping, a penny more taken.
      `confirmed order ${overcharged} of 2899 captured 2900`,
      `order ${overcharged} of 2899 has a payment of 2900`,
      `confirmed order ${misclaimed} took other lines from the cart than it holds`,
      `confirmed order ${misclaimed} committed other lines than it holds`,
      `order ${misclaimed} was refused to its buyer, yet is confirmed`,
      `user ${subjectOf(buyers[0] ?? '')} put 0 units in the cart and bought 1`,
      `${sku}: 97 on hand + 4 sold + 0 damaged ≠ 100`,
      `confirmed order ${receipted}: 2899 still captured, its lines hold 1899`,
      `confirmed order ${overcharged}: 2900 still captured, its lines hold 2899`,
      `order ${misclaimed}: payments refunded 0, its refunds add to 100`,
      'returns received and not refunded 3 s after the fault',
      'promotion uses still held 3 s after the fault',
      `confirmed order ${receipted} has its code's use not held`,
      `a committed use of a code by order ${ghostCommitted}, which does not exist`,
      `a held use of a code by order ${ghostHeld}, which does not exist`,
      `code ${code.code} counts 0 uses and holds 2`,
    ]),
  );
});
