import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { type RunningCatalog, startCatalog } from './catalog-fixture.js';

let catalog: RunningCatalog;

beforeAll(async () => {
  catalog = await startCatalog(inject('postgresUrl'));
});

afterAll(() => catalog.close());

const newSku = () => `ADM-${randomUUID().slice(0, 8).toUpperCase()}`;
/** A price list in the currency of each of the demo's regions, in the order catalog answers. */
const priceList = (amount: number) =>
  ['EUR', 'GBP', 'USD'].map((currency) => ({ amount, currency }));

function send(
  method: 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
  bearer = catalog.adminToken,
) {
  return catalog.app.inject({
    method,
    url,
    headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
    ...(payload ? { payload } : {}),
  });
}

function productBody(overrides: object = {}) {
  return {
    name: `Walnut Chopping Board ${randomUUID().slice(0, 6)}`,
    description: 'End-grain walnut, oiled.',
    category: 'cookware',
    variants: [
      { sku: newSku(), options: { size: 'S' }, prices: priceList(3900) },
      { sku: newSku(), options: { size: 'L' }, prices: priceList(5900) },
    ],
    ...overrides,
  };
}

async function events(productId: string) {
  const { rows } = await catalog.db.query(
    `SELECT data FROM outbox WHERE type = 'catalog.product.updated.v1' AND subject = $1 ORDER BY created_at`,
    [productId],
  );
  return rows.map((row) => row.data);
}

const publicRead = (idOrSlug: string) =>
  catalog.app.inject({ method: 'GET', url: `/api/products/${idOrSlug}` });

describe('managing products', () => {
  test('a new product is a draft, hidden until it is made active, and each change is announced', async () => {
    const body = productBody();
    const created = await send('POST', '/api/admin/products', body);
    expect(created.statusCode).toBe(201);
    const product = created.json();
    expect(product).toMatchObject({ status: 'draft', price: { amount: 3900, currency: 'USD' } });
    expect(product.slug).toMatch(/^walnut-chopping-board-/);
    expect((await publicRead(product.slug)).statusCode).toBe(404);

    expect(
      (await send('PATCH', `/api/admin/products/${product.id}`, { status: 'active' })).statusCode,
    ).toBe(200);
    expect((await publicRead(product.slug)).statusCode).toBe(200);

    expect(await events(product.id)).toEqual([
      {
        productId: product.id,
        skus: body.variants.map((variant) => ({
          sku: variant.sku,
          price: variant.prices[2],
          prices: variant.prices,
          active: false,
        })),
      },
      {
        productId: product.id,
        skus: body.variants.map((variant) => ({
          sku: variant.sku,
          price: variant.prices[2],
          prices: variant.prices,
          active: true,
        })),
      },
    ]);
  });

  test('replacing the variants re-prices the product and announces the dropped SKU as inactive', async () => {
    const body = productBody({ status: 'active' });
    const product = (await send('POST', '/api/admin/products', body)).json();
    const [small, large] = body.variants;
    const cheaper = { ...large, prices: priceList(2500) };

    const changed = await send('PATCH', `/api/admin/products/${product.id}`, {
      variants: [cheaper],
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({
      price: { amount: 2500 },
      variants: [{ sku: large?.sku }],
    });
    const last = (await events(product.id)).at(-1);
    expect(last.skus).toEqual([
      {
        sku: large?.sku,
        price: { amount: 2500, currency: 'USD' },
        prices: priceList(2500),
        active: true,
      },
      { sku: small?.sku, price: small?.prices[2], prices: small?.prices, active: false },
    ]);
  });

  test('a new product is found by a misspelled word of its name', async () => {
    await send(
      'POST',
      '/api/admin/products',
      productBody({ name: 'Walnut Bookshelf', status: 'active' }),
    );
    const found = (
      await catalog.app.inject({ method: 'GET', url: '/api/products?q=bookshelv' })
    ).json();
    expect(found.correctedQuery).toBe('bookshelf');
    expect(found.items.map((item: { name: string }) => item.name)).toEqual(['Walnut Bookshelf']);
  });

  test('deleting archives the product: off sale, still on record', async () => {
    const product = (
      await send('POST', '/api/admin/products', productBody({ status: 'active' }))
    ).json();
    const deleted = await send('DELETE', `/api/admin/products/${product.id}`);
    expect(deleted.statusCode).toBe(204);
    expect((await publicRead(product.id)).statusCode).toBe(404);
    const kept = await catalog.app.inject({
      method: 'GET',
      url: `/api/admin/products/${product.id}`,
      headers: { authorization: `Bearer ${catalog.adminToken}` },
    });
    expect(kept.json().status).toBe('archived');
    const announced = (await events(product.id)).at(-1).skus;
    expect(announced.length).toBeGreaterThan(0);
    expect(new Set(announced.map((sku: { active: boolean }) => sku.active))).toEqual(
      new Set([false]),
    );
  });
});

describe('refusing bad products', () => {
  test.each([
    [
      'a zero price',
      { variants: [{ sku: 'X-1', options: {}, prices: priceList(0) }] },
      400,
      'variants.0.prices.0.amount',
    ],
    [
      'an unknown currency',
      {
        variants: [
          {
            sku: newSku(),
            options: {},
            prices: [...priceList(100), { amount: 100, currency: 'XYZ' }],
          },
        ],
      },
      422,
      'variants.0.prices.3.currency',
    ],
    [
      'a currency twice in a price list',
      {
        variants: [
          {
            sku: newSku(),
            options: {},
            prices: [...priceList(100), { amount: 90, currency: 'USD' }],
          },
        ],
      },
      422,
      'variants.0.prices',
    ],
    [
      'no price in the currency of a region the shop sells in',
      { variants: [{ sku: newSku(), options: {}, prices: [{ amount: 100, currency: 'USD' }] }] },
      422,
      'variants.0.prices',
    ],
    [
      'variants priced in different currencies',
      {
        variants: [
          { sku: newSku(), options: {}, prices: priceList(100) },
          {
            sku: newSku(),
            options: {},
            prices: [...priceList(100), { amount: 100, currency: 'CHF' }],
          },
        ],
      },
      422,
      'variants.1.prices',
    ],
    [
      'a SKU twice',
      {
        variants: [
          { sku: 'TWICE-1', options: {}, prices: priceList(100) },
          { sku: 'TWICE-1', options: { size: 'L' }, prices: priceList(100) },
        ],
      },
      422,
      'variants.1.sku',
    ],
    [
      'a lower-case SKU',
      { variants: [{ sku: 'mug-1', options: {}, prices: priceList(100) }] },
      400,
      'variants.0.sku',
    ],
    ['no variants', { variants: [] }, 400, 'variants'],
    ['an unknown category', { category: 'garage' }, 400, 'category'],
    ['an unknown field', { featured: true }, 400, 'featured'],
  ])('%s is refused, naming the field', async (_case, overrides, status, field) => {
    const response = await send('POST', '/api/admin/products', productBody(overrides));
    expect(response.statusCode).toBe(status);
    expect(response.json().errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field })]),
    );
  });

  test('a SKU or slug another product has is a 409 naming the field', async () => {
    const existing = productBody();
    await send('POST', '/api/admin/products', existing);
    const skuTaken = await send(
      'POST',
      '/api/admin/products',
      productBody({ variants: [existing.variants[0]] }),
    );
    expect(skuTaken.statusCode).toBe(409);
    expect(skuTaken.json()).toMatchObject({
      code: 'sku_taken',
      errors: [{ field: 'variants.0.sku' }],
    });
    const slugTaken = await send(
      'POST',
      '/api/admin/products',
      productBody({ slug: 'oak-desk-lamp' }),
    );
    expect(slugTaken.statusCode).toBe(409);
    expect(slugTaken.json()).toMatchObject({ code: 'slug_taken', errors: [{ field: 'slug' }] });
  });

  test('only admins manage products', async () => {
    expect(
      (await send('POST', '/api/admin/products', productBody(), catalog.customerToken)).statusCode,
    ).toBe(403);
    expect((await send('POST', '/api/admin/products', productBody(), '')).statusCode).toBe(401);
  });

  test('changing a product that does not exist is a 404', async () => {
    expect(
      (await send('PATCH', `/api/admin/products/${randomUUID()}`, { name: 'Ghost' })).statusCode,
    ).toBe(404);
  });
});

describe('GET /api/admin/products', () => {
  const list = (query: string, bearer = catalog.adminToken) =>
    catalog.app.inject({
      method: 'GET',
      url: `/api/admin/products?${query}`,
      headers: { authorization: `Bearer ${bearer}` },
    });

  test('lists drafts beside active products for admins, each with its status; shoppers may not', async () => {
    const draft = (await send('POST', '/api/admin/products', productBody())).json();
    const everything = (await list(`q=${encodeURIComponent(draft.name)}`)).json();
    expect(everything.items).toEqual([expect.objectContaining({ id: draft.id, status: 'draft' })]);
    const drafts = (await list('status=draft&limit=100')).json();
    const statuses = drafts.items.map((item: { status: string }) => item.status);
    expect(drafts.items.map((item: { id: string }) => item.id)).toContain(draft.id);
    expect(new Set(statuses)).toEqual(new Set(['draft']));
    expect((await publicRead(draft.slug)).statusCode).toBe(404);
    expect((await list('', catalog.customerToken)).statusCode).toBe(403);
  });
});
