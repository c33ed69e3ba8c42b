import { randomUUID } from 'node:crypto';
import { migrate } from '@bazaar/db/migrations';
import { createTestDatabase, type TestDatabase } from '@bazaar/db/test-database';
import type { CloudEvent } from '@bazaar/events/cloud-event';
import type { EventBus } from '@bazaar/events/event-bus';
import { busMigrations, postgresBus } from '@bazaar/events/postgres-bus';
import { until } from '@bazaar/testing/until';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { eventHandlers as catalogEventHandlers } from '../src/events/index.js';
import { catalogSeed } from '../src/seed/seed-catalog.js';
import { type RunningCatalog, startCatalog } from './catalog-fixture.js';

type Summary = { slug: string; inStock: boolean };
type Listing = { items: Summary[]; total: number; nextCursor: string | null };

let catalog: RunningCatalog;
let busDatabase: TestDatabase;
let bus: EventBus;
let stopConsumer: () => Promise<void>;

const seed = catalogSeed();
// One product whose only stocked variant is the first; one with nothing in stock.
const [partlyStocked, soldOut] = seed.products.filter((product) => product.variants.length > 1);

function availability(sku: string, inStock: boolean, changedAt: Date): CloudEvent {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'inventory',
    type: 'inventory.stock.availability.v1',
    subject: sku,
    time: changedAt.toISOString(),
    datacontenttype: 'application/json',
    data: { sku, inStock, changedAt: changedAt.toISOString() },
  };
}

async function list(query: string): Promise<Listing> {
  const response = await catalog.app.inject({ method: 'GET', url: `/api/products?${query}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

beforeAll(async () => {
  if (!partlyStocked || !soldOut) throw new Error('the seed lacks products with several variants');
  catalog = await startCatalog(inject('postgresUrl'));
  busDatabase = await createTestDatabase(inject('postgresUrl'));
  await migrate(busDatabase.pool, [busMigrations]);
  bus = postgresBus(busDatabase.url, { name: 'catalog', onIdleClientError: () => {} });
  stopConsumer = await bus.subscribe({
    consumer: 'catalog',
    db: catalog.db,
    handlers: catalogEventHandlers,
    onError: () => {},
  });
  // Inventory announces every SKU once stocked: all in stock but the two products' other SKUs.
  const start = new Date(Date.now() - 60_000);
  const outOfStock = new Set([
    ...partlyStocked.variants.slice(1).map((variant) => variant.sku),
    ...soldOut.variants.map((variant) => variant.sku),
  ]);
  await bus.publish(
    seed.products.flatMap((product) =>
      product.variants.map((variant) =>
        availability(variant.sku, !outOfStock.has(variant.sku), start),
      ),
    ),
  );
  await until(async () => (await list('inStock=false')).total === 1);
});

afterAll(async () => {
  await stopConsumer?.();
  await bus.close();
  await busDatabase.drop();
  await catalog.close();
});

describe('the inStock filter, fed by inventory events', () => {
  test('splits the active products into those that can be bought and those sold out', async () => {
    const all = await list('limit=1');
    const inStock = await list('inStock=true&limit=100');
    const none = await list('inStock=false');
    expect(none.items.map((item) => item.slug)).toEqual([soldOut?.slug]);
    expect(none.items[0]?.inStock).toBe(false);
    expect(inStock.total + none.total).toBe(all.total);
    expect(inStock.items.length).toBeGreaterThan(0);
    expect(new Set(inStock.items.map((item) => item.inStock))).toEqual(new Set([true]));
    const byName = await list(`inStock=true&q=${encodeURIComponent(partlyStocked?.name ?? '')}`);
    expect(byName.items.map((item) => item.slug)).toContain(partlyStocked?.slug);
  });

  test('a product page tells which variants are in stock', async () => {
    const response = await catalog.app.inject({
      method: 'GET',
      url: `/api/products/${partlyStocked?.slug}`,
    });
    const product = response.json();
    expect(product.inStock).toBe(true);
    expect(product.variants.map((variant: { inStock: boolean }) => variant.inStock)).toEqual(
      partlyStocked?.variants.map((_, index) => index === 0),
    );
  });

  test('a SKU selling out takes its product out of the filter; an older announcement arriving late changes nothing', async () => {
    const [sku] = soldOut?.variants ?? [];
    if (!sku) throw new Error('no variant');
    const now = new Date();
    await bus.publish([availability(sku.sku, true, now)]);
    await until(async () => (await list('inStock=false')).total === 0);
    const late = availability(sku.sku, false, new Date(now.getTime() - 1000));
    await bus.publish([late]);
    // Once catalog has applied the late announcement, it must have changed nothing.
    await until(
      async () =>
        (await catalog.db.query('SELECT 1 FROM inbox WHERE event_id = $1', [late.id])).rowCount ===
        1,
    );
    expect((await list('inStock=false')).total).toBe(0);
    await bus.publish([availability(sku.sku, false, new Date(now.getTime() + 1000))]);
    await until(async () => (await list('inStock=false')).total === 1);
  });

  test('a value that is not a boolean is refused, naming the field', async () => {
    const response = await catalog.app.inject({
      method: 'GET',
      url: '/api/products?inStock=maybe',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'inStock' })]);
  });
});
