import { randomUUID } from 'node:crypto';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { type RunningInventory, startInventory } from './inventory-fixture.js';

let inventory: RunningInventory;
let app: ServiceApp;
let adminToken: string;
let serviceToken: string;

beforeAll(async () => {
  inventory = await startInventory(inject('postgresUrl'), 60_000);
  ({ app, adminToken, serviceToken } = inventory);
});

afterAll(async () => {
  await inventory?.close();
});

const importCsv = (csv: string, dryRun = false) =>
  app.inject({
    method: 'POST',
    url: `/api/admin/inventory/import${dryRun ? '?dryRun=true' : ''}`,
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'text/csv' },
    payload: csv,
  });
const stockOf = async (sku: string) =>
  (
    await app.inject({
      method: 'GET',
      url: `/api/admin/inventory/${sku}`,
      headers: { authorization: `Bearer ${adminToken}` },
    })
  ).json();
const newSku = () => `CSV-${randomUUID().slice(0, 8).toUpperCase()}`;

describe('stock as CSV', () => {
  test('an import sets counts and thresholds by SKU, and the export gives them back to import again', async () => {
    const [lamp, mug] = [newSku(), newSku()];
    const first = await importCsv(`sku,on_hand,low_stock_threshold\n${lamp},12,3\n${mug},0,\n`);

    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ rows: 2, created: 2, updated: 0, errors: [] });
    expect(await stockOf(lamp)).toMatchObject({ onHand: 12, available: 12, lowStockThreshold: 3 });
    expect(await stockOf(mug)).toMatchObject({ onHand: 0, lowStockThreshold: 5 });

    const exported = await app.inject({
      method: 'GET',
      url: '/api/admin/inventory/export',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(exported.headers['content-type']).toMatch(/^text\/csv/);
    expect(exported.body.split('\n')[0]).toBe('sku,on_hand,reserved,available,low_stock_threshold');
    expect(exported.body).toContain(`${lamp},12,0,12,3`);
    const again = await importCsv(exported.body);
    expect(again.json()).toMatchObject({ created: 0, updated: 0, errors: [] });
    expect(again.json().unchanged).toBe(again.json().rows);
  });

  test('a dry run reports every bad cell by line and column and writes nothing; the same file imported is a 422 naming them', async () => {
    const [held, fine] = [newSku(), newSku()];
    await importCsv(`sku,on_hand\n${held},10\n${fine},1\n`);
    const reserved = await app.inject({
      method: 'POST',
      url: '/internal/reservations',
      headers: { authorization: `Bearer ${serviceToken}` },
      payload: { orderId: randomUUID(), lines: [{ sku: held, quantity: 4 }], ttlSeconds: 600 },
    });
    expect(reserved.statusCode).toBe(201);
    const csv = [
      'sku,on_hand,low_stock_threshold',
      `${fine},7,2`,
      'not a sku,3,',
      `${held},3,`,
      `${fine},-1,`,
      `${newSku()},many,x`,
    ].join('\n');

    const dry = await importCsv(csv, true);
    const wet = await importCsv(csv);

    expect(dry.statusCode).toBe(200);
    expect(dry.json().errors).toEqual([
      { line: 3, column: 'sku', message: 'is not a SKU such as LGT-05-SND' },
      { line: 4, column: 'on_hand', message: 'is below the 4 units orders hold' },
      { line: 5, column: 'sku', message: 'repeats line 2' },
      { line: 5, column: 'on_hand', message: 'is not a whole number from 0 to 1000000' },
      { line: 6, column: 'on_hand', message: 'is not a whole number from 0 to 1000000' },
      {
        line: 6,
        column: 'low_stock_threshold',
        message: 'is not a whole number from 0 to 1000000',
      },
    ]);
    expect(wet.statusCode).toBe(422);
    expect(wet.json()).toMatchObject({
      code: 'invalid_import',
      errors: expect.arrayContaining([
        { field: 'sku', in: 'body', line: 3, message: expect.any(String) },
      ]),
    });
    expect(await stockOf(fine)).toMatchObject({ onHand: 1, lowStockThreshold: 5 });
    expect(await stockOf(held)).toMatchObject({ onHand: 10, reserved: 4 });
  });

  test('a header without on_hand, or with a column stock does not have, is refused at line 1', async () => {
    const answer = await importCsv(`sku,price\n${newSku()},5\n`, true);
    expect(answer.json().errors).toEqual([
      { line: 1, column: 'on_hand', message: 'is a column the file must have' },
      {
        line: 1,
        column: 'price',
        message: 'is not a column of stock: sku, on_hand, low_stock_threshold',
      },
    ]);
  });

  test('10,000 rows are written in seconds, in batches, and what became available is announced', async ({
    annotate,
  }) => {
    const skus = Array.from(
      { length: 10_000 },
      (_, index) => `BULK-${index}-${randomUUID().slice(0, 4).toUpperCase()}`,
    );
    const csv = `sku,on_hand\n${skus.map((sku, index) => `${sku},${index % 7}`).join('\n')}\n`;

    const started = performance.now();
    const answer = await importCsv(csv);
    const seconds = (performance.now() - started) / 1000;
    await annotate(
      `10,000 rows (${Math.round(csv.length / 1024)} KB) imported in ${seconds.toFixed(2)} s`,
    );

    expect(answer.json()).toMatchObject({ rows: 10_000, created: 10_000, errors: [] });
    const { rows } = await inventory.database.pool.query(
      `SELECT count(*)::int AS n FROM outbox
        WHERE type = 'inventory.stock.availability.v1' AND subject LIKE 'BULK-%'`,
    );
    // Every new SKU's availability is news, in stock or not.
    expect(rows[0].n).toBe(10_000);
    expect(await stockOf(skus[9_999] as string)).toMatchObject({ onHand: 9_999 % 7 });
  }, 60_000);
});

describe('the stock list', () => {
  const list = (query: string) =>
    app.inject({
      method: 'GET',
      url: `/api/admin/inventory?${query}`,
      headers: { authorization: `Bearer ${adminToken}` },
    });

  test('finds SKUs by any part, any case, in SKU order, a page at a time; low=true keeps those at or under their threshold', async () => {
    const batch = randomUUID().slice(0, 6).toUpperCase();
    const skus = ['A', 'B', 'C'].map((letter) => `LIST-${batch}-${letter}`);
    await importCsv(
      `sku,on_hand,low_stock_threshold\n${skus[0]},2,3\n${skus[1]},40,3\n${skus[2]},3,3\n`,
    );

    const found = await list(`q=${batch.toLowerCase()}`);
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json().items.map((item: { sku: string }) => item.sku)).toEqual(skus);
    expect(found.json().nextAfter).toBeNull();

    const low = await list(`q=${batch}&low=true`);
    expect(low.json().items.map((item: { sku: string }) => item.sku)).toEqual([skus[0], skus[2]]);

    const first = (await list(`q=${batch}&limit=2`)).json();
    expect(first.items).toHaveLength(2);
    expect(first.nextAfter).toBe(skus[1]);
    const rest = (await list(`q=${batch}&limit=2&after=${first.nextAfter}`)).json();
    expect(rest.items.map((item: { sku: string }) => item.sku)).toEqual([skus[2]]);
    expect(rest.nextAfter).toBeNull();
  });

  test('a search that is no part of a SKU is refused naming q; only admins may list', async () => {
    const refused = await list('q=%25%27');
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].field).toBe('q');
    const shopper = await app.inject({ method: 'GET', url: '/api/admin/inventory' });
    expect(shopper.statusCode).toBe(401);
  });
});
