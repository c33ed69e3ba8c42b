import { randomUUID } from 'node:crypto';
import type { TestDatabase } from '@bazaar/db/test-database';
import type { ServiceApp } from '@bazaar/service-kit/app';
import type { TestTokens } from '@bazaar/testing/test-tokens';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { insertStocks } from '../src/store/stock-store.js';
import { type RunningInventory, startInventory } from './inventory-fixture.js';

let inventory: RunningInventory;
let database: TestDatabase;
let app: ServiceApp;
let tokens: TestTokens;
let serviceToken: string;
let adminToken: string;

beforeAll(async () => {
  inventory = await startInventory(inject('postgresUrl'));
  ({ app, database, tokens, serviceToken, adminToken } = inventory);
});

afterAll(async () => {
  await inventory?.close();
});

/** A fresh SKU per test, so tests sharing the database never touch each other's stock. */
async function stocked(onHand: number): Promise<string> {
  const sku = `T-${randomUUID().slice(0, 8).toUpperCase()}`;
  await insertStocks(database.pool, [{ sku, onHand }]);
  return sku;
}

function reserve(
  lines: Array<{ sku: string; quantity: number }>,
  orderId: string = randomUUID(),
  bearer = serviceToken,
  commit?: boolean,
) {
  return app.inject({
    method: 'POST',
    url: '/internal/reservations',
    headers: { authorization: `Bearer ${bearer}` },
    payload: { orderId, lines, ...(commit === undefined ? {} : { commit }) },
  });
}

function settle(orderId: string, action: 'commit' | 'release') {
  return app.inject({
    method: 'POST',
    url: `/internal/reservations/${orderId}/${action}`,
    headers: { authorization: `Bearer ${serviceToken}` },
  });
}

async function levels(sku: string) {
  const { rows } = await database.pool.query('SELECT on_hand, reserved FROM stock WHERE sku = $1', [
    sku,
  ]);
  return rows[0] as { on_hand: number; reserved: number };
}

async function available(sku: string): Promise<number> {
  return (await app.inject({ method: 'GET', url: `/api/inventory/${sku}` })).json().available;
}

describe('reserving stock', () => {
  test('200 concurrent buyers of 1 unit for 10 in stock: exactly 10 succeed, stock never below zero', async () => {
    const sku = await stocked(10);
    const responses = await Promise.all(
      Array.from({ length: 200 }, () => reserve([{ sku, quantity: 1 }])),
    );
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 201)).toHaveLength(10);
    expect(statuses.filter((status) => status === 409)).toHaveLength(190);
    expect(await levels(sku)).toEqual({ on_hand: 10, reserved: 10 });
    expect(await available(sku)).toBe(0);
  });

  test('the same order id reserved twice, even at once, holds the stock once', async () => {
    const sku = await stocked(5);
    const orderId = randomUUID();
    const [first, second] = await Promise.all([
      reserve([{ sku, quantity: 2 }], orderId),
      reserve([{ sku, quantity: 2 }], orderId),
    ]);
    expect([first?.statusCode, second?.statusCode].sort()).toEqual([200, 201]);
    expect(first?.json().lines).toEqual(second?.json().lines);
    const again = await reserve([{ sku, quantity: 2 }], orderId);
    expect(again.statusCode).toBe(200);
    expect(await available(sku)).toBe(3);
  });

  test('all lines or none: one short line leaves the others untouched and names the short SKU', async () => {
    const plenty = await stocked(10);
    const scarce = await stocked(1);
    const response = await reserve([
      { sku: plenty, quantity: 2 },
      { sku: scarce, quantity: 3 },
    ]);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      code: 'out_of_stock',
      skus: [scarce],
      available: { [scarce]: 1 },
    });
    expect(await available(plenty)).toBe(10);
    expect(await available(scarce)).toBe(1);
  });

  test('orders locking the same two SKUs in opposite orders all finish, without a deadlock', async () => {
    const first = await stocked(40);
    const second = await stocked(40);
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        reserve(
          index % 2 === 0
            ? [
                { sku: first, quantity: 1 },
                { sku: second, quantity: 1 },
              ]
            : [
                { sku: second, quantity: 1 },
                { sku: first, quantity: 1 },
              ],
        ),
      ),
    );
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 201)).toHaveLength(40);
    expect(statuses.filter((status) => status !== 201 && status !== 409)).toEqual([]);
    expect(await available(first)).toBe(0);
    expect(await available(second)).toBe(0);
  });

  test('an expired reservation is released by the sweeper', async () => {
    const sku = await stocked(4);
    const orderId = randomUUID();
    expect((await reserve([{ sku, quantity: 3 }], orderId)).statusCode).toBe(201);
    expect(await available(sku)).toBe(1);

    await database.pool.query(
      `UPDATE reservations SET expires_at = now() - interval '1 second' WHERE order_id = $1`,
      [orderId],
    );
    const deadline = Date.now() + 5000;
    while ((await available(sku)) !== 4 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await available(sku)).toBe(4);
    expect((await settle(orderId, 'commit')).json()).toMatchObject({
      code: 'reservation_not_held',
      reservationStatus: 'expired',
    });
  });
});

describe('settling a reservation', () => {
  test('taken at once (commit): 50 buyers of 1 unit for 10 get exactly 10, the units leave the shelf with no hold to run out, and a release puts them back', async () => {
    const sku = await stocked(10);
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        reserve([{ sku, quantity: 1 }], randomUUID(), serviceToken, true),
      ),
    );
    const taken = responses.filter((response) => response.statusCode === 201);
    expect(taken).toHaveLength(10);
    expect(responses.filter((response) => response.statusCode === 409)).toHaveLength(40);
    expect(taken.map((response) => response.json().status)).toEqual(taken.map(() => 'committed'));
    expect(await levels(sku)).toEqual({ on_hand: 0, reserved: 0 });
    expect(await app.metrics.getSingleMetricAsString('bazaar_reservations_total')).toMatch(
      /bazaar_reservations_total\{[^}]*outcome="committed"[^}]*\} 10$/m,
    );

    const orderId = (taken[0] as (typeof taken)[number]).json().orderId as string;
    // Past any expiry, the sweeper (every 100 ms here) finds nothing held to give back.
    await database.pool.query(
      `UPDATE reservations SET expires_at = now() - interval '1 hour' WHERE order_id = $1`,
      [orderId],
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await levels(sku)).toEqual({ on_hand: 0, reserved: 0 });
    const again = await reserve([{ sku, quantity: 1 }], orderId, serviceToken, true);
    expect([again.statusCode, again.json().status]).toEqual([200, 'committed']);
    expect((await settle(orderId, 'commit')).json().status).toBe('committed');
    expect((await settle(orderId, 'release')).json().status).toBe('returned');
    expect(await levels(sku)).toEqual({ on_hand: 1, reserved: 0 });
    const { rows } = await database.pool.query(
      `SELECT data FROM outbox WHERE type = 'inventory.stock.availability.v1' AND subject = $1
        ORDER BY data->>'changedAt'`,
      [sku],
    );
    expect(rows.map((row) => row.data.inStock)).toEqual([false, true]);
  });

  test('commit takes the stock off the shelf once; release then returns it', async () => {
    const sku = await stocked(5);
    const orderId = randomUUID();
    await reserve([{ sku, quantity: 2 }], orderId);

    expect((await settle(orderId, 'commit')).json().status).toBe('committed');
    expect((await settle(orderId, 'commit')).statusCode).toBe(200);
    expect(await levels(sku)).toEqual({ on_hand: 3, reserved: 0 });

    expect((await settle(orderId, 'release')).json().status).toBe('returned');
    expect((await settle(orderId, 'release')).json().status).toBe('returned');
    expect(await levels(sku)).toEqual({ on_hand: 5, reserved: 0 });
  });

  test('release of a held reservation frees it, and it can no longer be committed', async () => {
    const sku = await stocked(5);
    const orderId = randomUUID();
    await reserve([{ sku, quantity: 2 }], orderId);
    expect((await settle(orderId, 'release')).json().status).toBe('released');
    expect(await levels(sku)).toEqual({ on_hand: 5, reserved: 0 });
    expect((await settle(orderId, 'commit')).statusCode).toBe(409);
    expect((await settle(randomUUID(), 'commit')).statusCode).toBe(404);
  });

  test('release of an order that never reserved (its request held up on the way): the late request holds nothing', async () => {
    const sku = await stocked(5);
    const orderId = randomUUID();
    expect((await settle(orderId, 'release')).json()).toMatchObject({ status: 'released' });
    const late = await reserve([{ sku, quantity: 2 }], orderId);
    expect(late.json()).toMatchObject({ status: 'released', lines: [] });
    expect(await levels(sku)).toEqual({ on_hand: 5, reserved: 0 });
  });
});

describe('bad input', () => {
  test.each([
    [-1, 'lines.0.quantity'],
    [1.5, 'lines.0.quantity'],
    [0, 'lines.0.quantity'],
  ])('quantity %s is a 400 naming %s', async (quantity, field) => {
    const response = await reserve([{ sku: 'ANY-1', quantity }]);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ field, in: 'body' })]);
  });

  test('an unknown SKU is a 404, when read and when reserved', async () => {
    expect(
      (await app.inject({ method: 'GET', url: '/api/inventory/NO-SUCH-SKU' })).statusCode,
    ).toBe(404);
    const response = await reserve([{ sku: 'NO-SUCH-SKU', quantity: 1 }]);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'unknown_sku', skus: ['NO-SUCH-SKU'] });
  });

  test('reservations need a service token: none is 401, a shopper token 401 or 403', async () => {
    const sku = await stocked(1);
    const customer = await tokens.sign({ role: 'customer', audience: 'bazaar' });
    const customerForInternal = await tokens.sign({
      role: 'customer',
      audience: 'bazaar-internal',
    });
    expect((await reserve([{ sku, quantity: 1 }], randomUUID(), '')).statusCode).toBe(401);
    expect((await reserve([{ sku, quantity: 1 }], randomUUID(), customer)).statusCode).toBe(401);
    expect(
      (await reserve([{ sku, quantity: 1 }], randomUUID(), customerForInternal)).statusCode,
    ).toBe(403);
    expect(await available(sku)).toBe(1);
  });
});

describe('stock administration', () => {
  const put = (sku: string, payload: object, bearer = adminToken) =>
    app.inject({
      method: 'PUT',
      url: `/api/admin/inventory/${sku}`,
      headers: { authorization: `Bearer ${bearer}` },
      payload,
    });

  test('an admin sets on-hand stock; a customer may not', async () => {
    const sku = await stocked(1);
    const customer = await tokens.sign({ role: 'customer', audience: 'bazaar' });
    expect((await put(sku, { onHand: 50 }, customer)).statusCode).toBe(403);
    const response = await put(sku, { onHand: 50, lowStockThreshold: 10 });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      sku,
      onHand: 50,
      reserved: 0,
      available: 50,
      lowStockThreshold: 10,
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  test('an admin reads on hand, reserved and available of a SKU; an unknown SKU is a 404', async () => {
    const sku = await stocked(8);
    await reserve([{ sku, quantity: 3 }]);
    const response = await app.inject({
      method: 'GET',
      url: `/api/admin/inventory/${sku}`,
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(response.json()).toMatchObject({ sku, onHand: 8, reserved: 3, available: 5 });
    const unknown = await app.inject({
      method: 'GET',
      url: '/api/admin/inventory/NOPE-404',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(unknown.statusCode).toBe(404);
  });

  test('on hand cannot drop below what is held for orders', async () => {
    const sku = await stocked(5);
    await reserve([{ sku, quantity: 4 }]);
    const response = await put(sku, { onHand: 3 });
    expect(response.statusCode).toBe(409);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'onHand' })]);
  });

  test('falling below the threshold announces inventory.stock.low.v1 once', async () => {
    const sku = await stocked(7);
    await reserve([{ sku, quantity: 2 }]);
    await reserve([{ sku, quantity: 1 }]);
    const { rows } = await database.pool.query(
      `SELECT data FROM outbox WHERE type = 'inventory.stock.low.v1' AND subject = $1`,
      [sku],
    );
    expect(rows.map((row) => row.data)).toEqual([{ sku, available: 4, threshold: 5 }]);
  });

  test('selling the last unit and giving it back announces sold out, then available, in order', async () => {
    const sku = await stocked(2);
    const orderId = randomUUID();
    expect((await reserve([{ sku, quantity: 2 }], orderId)).statusCode).toBe(201);
    await settle(orderId, 'release');
    const { rows } = await database.pool.query(
      `SELECT data FROM outbox WHERE type = 'inventory.stock.availability.v1' AND subject = $1
        ORDER BY data->>'changedAt'`,
      [sku],
    );
    expect(rows.map((row) => row.data.inStock)).toEqual([false, true]);
    const [soldOut, back] = rows.map((row) => Date.parse(row.data.changedAt));
    expect(back).toBeGreaterThan(soldOut as number);
  });
});

describe('units coming back from a sold order', () => {
  const giveBack = (orderId: string, returnId: string, lines: unknown[]) =>
    app.inject({
      method: 'POST',
      url: `/internal/reservations/${orderId}/returns`,
      headers: { authorization: `Bearer ${serviceToken}` },
      payload: { returnId, lines },
    });
  const damaged = async (sku: string) =>
    (await database.pool.query('SELECT damaged FROM stock WHERE sku = $1', [sku])).rows[0].damaged;

  test('sellable units go back on the shelf, damaged ones are counted apart, once per return', async () => {
    const sku = await stocked(10);
    const orderId = randomUUID();
    await reserve([{ sku, quantity: 4 }], orderId);
    await settle(orderId, 'commit');
    const returnId = randomUUID();
    expect((await giveBack(orderId, returnId, [{ sku, quantity: 3, damaged: 1 }])).statusCode).toBe(
      204,
    );
    expect((await giveBack(orderId, returnId, [{ sku, quantity: 3, damaged: 1 }])).statusCode).toBe(
      204,
    );
    expect(await levels(sku)).toEqual({ on_hand: 8, reserved: 0 });
    expect(await damaged(sku)).toBe(1);

    // One unit is left of the order: two more cannot come back.
    const tooMany = await giveBack(orderId, randomUUID(), [{ sku, quantity: 2, damaged: 0 }]);
    expect(tooMany.statusCode).toBe(422);
    // The order cancelled afterwards: only the unit no return brought back goes on the shelf.
    await settle(orderId, 'release');
    expect(await levels(sku)).toEqual({ on_hand: 9, reserved: 0 });
  });

  test('a return of an order already cancelled moves nothing; one of an unsold order is a 409', async () => {
    const sku = await stocked(5);
    const orderId = randomUUID();
    await reserve([{ sku, quantity: 2 }], orderId);
    expect(
      (await giveBack(orderId, randomUUID(), [{ sku, quantity: 1, damaged: 0 }])).json(),
    ).toMatchObject({
      status: 409,
      code: 'reservation_not_committed',
    });
    await settle(orderId, 'commit');
    await settle(orderId, 'release');
    expect(
      (await giveBack(orderId, randomUUID(), [{ sku, quantity: 1, damaged: 0 }])).statusCode,
    ).toBe(204);
    expect(await levels(sku)).toEqual({ on_hand: 5, reserved: 0 });
  });

  test('more damaged than came back is a 422 naming the field', async () => {
    const response = await giveBack(randomUUID(), randomUUID(), [
      { sku: 'A-1', quantity: 1, damaged: 2 },
    ]);
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([
      { field: 'lines.0.damaged', in: 'body', message: 'is more than quantity' },
    ]);
  });
});
