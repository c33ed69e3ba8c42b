import { randomUUID } from 'node:crypto';
import type { Pool } from '@bazaar/db/pool';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { catalogSeed, seedCatalog } from '../src/seed/seed-catalog.js';
import { type RunningCatalog, startCatalog } from './catalog-fixture.js';

type ProductPage = { items: Array<{ id: string; slug: string }>; nextCursor: string | null };

let catalog: RunningCatalog;
let db: Pool;
let app: ServiceApp;

beforeAll(async () => {
  catalog = await startCatalog(inject('postgresUrl'));
  app = catalog.app;
  db = catalog.db;
});

afterAll(() => catalog.close());

async function listPage(query: string): Promise<ProductPage> {
  const response = await app.inject({ method: 'GET', url: `/api/products?${query}` });
  expect(response.statusCode).toBe(200);
  return response.json();
}

async function listAll(limit: number, between?: () => Promise<void>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: ProductPage = await listPage(
      `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    ids.push(...page.items.map((item) => item.id));
    cursor = page.nextCursor;
    await between?.();
  } while (cursor);
  return ids;
}

async function insertProduct(status: 'active' | 'draft', price = 1000) {
  const id = randomUUID();
  await db.query(
    `INSERT INTO products (id, slug, name, description, category_id, status, price_from, currency)
     SELECT $1, $2, 'Test Product', 'A product made by a test.', id, $3, $4, 'USD'
       FROM categories LIMIT 1`,
    [id, `test-${id}`, status, price],
  );
  await db.query(
    `INSERT INTO variants (sku, product_id, price_amount, currency) VALUES ($1, $2, $3, 'USD')`,
    [`TEST-${id.slice(0, 8).toUpperCase()}`, id, price],
  );
  return id;
}

describe('the demo catalog seed', () => {
  test('is the same on every run and large enough to browse', () => {
    const { categories, products } = catalogSeed();
    expect(catalogSeed()).toEqual({ categories, products });
    expect(products.length).toBeGreaterThanOrEqual(200);
    expect(
      categories.filter((category) => category.parentId === null).length,
    ).toBeGreaterThanOrEqual(8);
    const skus = products.flatMap((product) => product.variants.map((variant) => variant.sku));
    expect(new Set(skus).size).toBe(skus.length);
    // Every SKU is priced in the currency of every demo region.
    for (const product of products) {
      for (const variant of product.variants) {
        expect(variant.prices.map((price) => price.currency).sort()).toEqual(['EUR', 'GBP', 'USD']);
        expect(
          variant.prices.every((price) => Number.isInteger(price.amount) && price.amount > 0),
        ).toBe(true);
      }
    }
  });

  test('is loaded only into an empty catalog', async () => {
    expect(await seedCatalog(db)).toEqual({ products: 0 });
  });
});

describe('GET /api/products', () => {
  test('pages through every active product once, newest first', async () => {
    const ids = await listAll(50);
    const expected = catalogSeed()
      .products.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .map((product) => product.id);
    expect(ids).toEqual(expected);
  });

  test('a page shows the lowest variant price with its currency and the category', async () => {
    const page = await listPage('limit=1');
    expect(page.items[0]).toMatchObject({
      price: { amount: expect.any(Number), currency: 'USD' },
      category: { slug: expect.any(String), name: expect.any(String) },
      variantCount: expect.any(Number),
    });
  });

  test('products added while a shopper pages neither repeat nor push others off', async () => {
    const before = await listAll(40);
    const seen = await listAll(40, async () => {
      await insertProduct('active');
    });
    const added = seen.filter((id) => !before.includes(id));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => before.includes(id))).toEqual(before);
    expect(added).toHaveLength(0);
  });

  test('draft products are not listed', async () => {
    const draft = await insertProduct('draft');
    expect(await listAll(100)).not.toContain(draft);
  });

  test('a limit outside 1..100 is a 400 naming the field', async () => {
    for (const limit of ['0', '101', 'ten']) {
      const response = await app.inject({ method: 'GET', url: `/api/products?limit=${limit}` });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors).toEqual([
        expect.objectContaining({ field: 'limit', in: 'querystring' }),
      ]);
    }
  });

  test('a cursor the API did not hand out is a 400 naming the field', async () => {
    const forged = Buffer.from('["yesterday","x"]').toString('base64url');
    for (const cursor of ['not-a-cursor', forged]) {
      const response = await app.inject({ method: 'GET', url: `/api/products?cursor=${cursor}` });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'invalid_cursor',
        errors: [{ field: 'cursor', in: 'querystring' }],
      });
    }
  });

  test('an unknown query parameter is refused rather than ignored', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/products?colour=red' });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'colour' })]);
  });
});

describe('GET /api/categories', () => {
  test('lists every department with its aisles', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/categories' });
    expect(response.statusCode).toBe(200);
    const { items } = response.json();
    expect(items.length).toBeGreaterThanOrEqual(8);
    expect(items[0]).toEqual({
      slug: 'kitchen',
      name: 'Kitchen',
      children: [
        { slug: 'cookware', name: 'Cookware', children: [] },
        { slug: 'tableware', name: 'Tableware', children: [] },
      ],
    });
  });

  test('is described in the OpenAPI document', async () => {
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(document.paths['/api/categories'].get.responses['200']).toBeDefined();
    expect(
      document.paths['/api/products'].get.parameters.map((p: { name: string }) => p.name),
    ).toEqual([
      'region',
      'q',
      'category',
      'minPrice',
      'maxPrice',
      'inStock',
      'sort',
      'limit',
      'cursor',
      'page',
    ]);
  });
});

describe('POST /internal/prices', () => {
  const prices = (skus: string[], token = catalog.serviceToken) =>
    app.inject({
      method: 'POST',
      url: '/internal/prices',
      headers: { authorization: `Bearer ${token}` },
      payload: { skus },
    });

  test('gives each known SKU its price, name and on-sale flag, and leaves unknown ones out', async () => {
    const response = await prices(['LGT-05-SND', 'NOPE-1']);
    expect(response.statusCode).toBe(200);
    expect(response.json().items).toEqual([
      {
        sku: 'LGT-05-SND',
        productId: expect.any(String),
        slug: 'oak-desk-lamp',
        name: expect.stringMatching(/^Oak Desk Lamp \(.+\)$/),
        image: expect.any(String),
        price: { amount: expect.any(Number), currency: 'USD' },
        active: true,
      },
    ]);
  });

  test('answers services only', async () => {
    expect((await prices(['LGT-05-SND'], catalog.customerToken)).statusCode).toBe(401);
  });
});
