import { randomUUID } from 'node:crypto';
import type { Pool } from '@bazaar/db/pool';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { catalogSeed } from '../src/seed/seed-catalog.js';
import { type RunningCatalog, startCatalog } from './catalog-fixture.js';

type Item = { id: string; name: string; category: { slug: string }; price: { amount: number } };
type Listing = {
  items: Item[];
  nextCursor: string | null;
  total: number;
  correctedQuery?: string;
  facets: { categories: Array<{ slug: string; count: number }> };
};

let catalog: RunningCatalog;
let app: ServiceApp;
let db: Pool;

beforeAll(async () => {
  catalog = await startCatalog(inject('postgresUrl'));
  app = catalog.app;
  db = catalog.db;
});

afterAll(() => catalog.close());

async function list(query: string): Promise<Listing> {
  const response = await app.inject({ method: 'GET', url: `/api/products?${query}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function listEvery(query: string, between?: () => Promise<void>): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  do {
    const page: Listing = await list(
      `${query}&limit=37${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
    await between?.();
  } while (cursor);
  return items;
}

const aisleOf = (slug: string) =>
  catalogSeed().categories.find((category) => category.slug === slug);

describe('search', () => {
  test('a half-typed word finds its products: "lam" finds every lamp', async () => {
    const found = await listEvery('q=lam');
    expect(found.length).toBe(12);
    expect(found.every((item) => item.name.includes('Lamp'))).toBe(true);
  });

  test('several words must all match, as prefixes', async () => {
    const found = await listEvery('q=desk%20la');
    expect(found.map((item) => item.name).sort()).toEqual([
      'Brass Desk Lamp',
      'Linen Shade Desk Lamp',
      'Oak Desk Lamp',
    ]);
  });

  test('a match in the name ranks above a match only in the description', async () => {
    const { items } = await list('q=steel&limit=20');
    const inName = items.filter((item) => item.name.toLowerCase().includes('steel'));
    expect(inName.length).toBe(4);
    expect(items.slice(0, 4)).toEqual(inName);
    expect(items.length).toBeGreaterThan(4);
  });

  test('search text is never query syntax', async () => {
    const attempts = ["lamp'", 'lamp & | !', '(:*', 'a:b', ' '];
    for (const q of attempts) {
      const response = await app.inject({
        method: 'GET',
        url: `/api/products?q=${encodeURIComponent(q)}`,
      });
      expect(response.statusCode).toBe(200);
    }
  });
});

describe('typos', () => {
  test('"lampe" finds the lamps as they are', async () => {
    const found = await list('q=lampe&limit=50');
    expect(found.total).toBe(12);
    expect(found.correctedQuery).toBeUndefined();
  });

  test('a search that finds nothing is asked again as the product names spell it', async () => {
    const found = await list(`q=${encodeURIComponent('Brass desk lammp')}`);
    expect(found.correctedQuery).toBe('brass desk lamp');
    expect(found.items.map((item) => item.name)).toEqual(['Brass Desk Lamp']);
  });

  test('a word near nothing the shop sells finds nothing, and no correction is offered', async () => {
    const found = await list('q=desk%20xqzvw');
    expect(found.total).toBe(0);
    expect(found.correctedQuery).toBeUndefined();
  });
});

describe('filters and facets', () => {
  test('a department includes its aisles', async () => {
    const kitchen = await listEvery('category=kitchen');
    expect(kitchen.length).toBe(24);
    expect(new Set(kitchen.map((item) => item.category.slug))).toEqual(
      new Set(['cookware', 'tableware']),
    );
    expect((await list('category=cookware')).total).toBe(12);
  });

  test('a price range keeps products whose lowest price lies within it', async () => {
    const found = await listEvery('minPrice=10000&maxPrice=20000');
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((item) => item.price.amount >= 10000 && item.price.amount <= 20000)).toBe(
      true,
    );
    const { total } = await list('minPrice=10000&maxPrice=20000');
    expect(total).toBe(found.length);
  });

  test('facets count the search per category and department, whatever category is chosen', async () => {
    const { facets, total } = await list('q=lamp&category=lighting');
    expect(total).toBe(12);
    expect(facets.categories).toEqual([
      expect.objectContaining({ slug: 'home', count: 12 }),
      expect.objectContaining({ slug: 'lighting', count: 12 }),
    ]);
    expect(aisleOf('lighting')?.parentId).toBe(aisleOf('home')?.id);
  });

  test.each([
    ['category=garage', 'category', 'unknown_category'],
    ['minPrice=500&maxPrice=100', 'minPrice', 'invalid_price_range'],
    ['minPrice=-1', 'minPrice', 'validation'],
    ['sort=cheapest', 'sort', 'validation'],
  ])('%s is a 400 naming %s', async (query, field, code) => {
    const response = await app.inject({ method: 'GET', url: `/api/products?${query}` });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code, errors: [expect.objectContaining({ field })] });
  });
});

describe('sorting and paging', () => {
  test.each(['price_asc', 'price_desc', 'newest'])(
    'sorted %s, every product appears once while new products keep arriving',
    async (sort) => {
      const before = await listEvery(`sort=${sort}`);
      const during = await listEvery(`sort=${sort}`, async () => {
        await insertActiveProduct(1000 + Math.floor(Math.random() * 20000));
      });
      const seen = during.map((item) => item.id);
      expect(new Set(seen).size).toBe(seen.length);
      const originals = new Set(before.map((item) => item.id));
      expect(seen.filter((id) => originals.has(id))).toEqual(before.map((item) => item.id));
      const prices = before.map((item) => item.price.amount);
      if (sort === 'price_asc') expect(prices).toEqual([...prices].sort((a, b) => a - b));
      if (sort === 'price_desc') expect(prices).toEqual([...prices].sort((a, b) => b - a));
    },
  );

  test('relevance pages through every match once', async () => {
    const found = await listEvery('q=a');
    expect(new Set(found.map((item) => item.id)).size).toBe(found.length);
    expect(found.length).toBe((await list('q=a')).total);
  });

  test('numbered pages hold what the list holds at their place', async () => {
    const first = await list('sort=price_asc&limit=10');
    const second = await list('sort=price_asc&limit=5&page=2');
    expect(second.items.map((item) => item.id)).toEqual(
      first.items.slice(5).map((item) => item.id),
    );
    expect(second.total).toBe(first.total);
    const beyond = await list(`sort=price_asc&limit=100&page=${Math.ceil(first.total / 100) + 1}`);
    expect(beyond.items).toEqual([]);
  });

  test('a page asked for by number and by cursor at once is refused, naming page', async () => {
    const { nextCursor } = await list('limit=5');
    const response = await app.inject({
      method: 'GET',
      url: `/api/products?limit=5&page=2&cursor=${nextCursor}`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe('page');
  });

  test('a cursor from one sort is refused by another', async () => {
    const { nextCursor } = await list('sort=newest&limit=5');
    const response = await app.inject({
      method: 'GET',
      url: `/api/products?sort=price_asc&cursor=${nextCursor}`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('invalid_cursor');
  });
});

describe('GET /api/products/:idOrSlug', () => {
  test('finds a product by slug or by id, with its variants and prices', async () => {
    const seeded = catalogSeed().products.find((product) => product.variants.length > 1);
    if (!seeded) throw new Error('the seed has products with several variants');
    const bySlug = await app.inject({ method: 'GET', url: `/api/products/${seeded.slug}` });
    const byId = await app.inject({ method: 'GET', url: `/api/products/${seeded.id}` });
    expect(bySlug.statusCode).toBe(200);
    expect(byId.json()).toEqual(bySlug.json());
    expect(bySlug.json().variants).toEqual(
      seeded.variants.map((variant) => ({
        sku: variant.sku,
        options: variant.options,
        price: variant.prices.find((price) => price.currency === 'USD'),
        prices: [...variant.prices].sort((a, b) => (a.currency < b.currency ? -1 : 1)),
        // Inventory has announced nothing to this catalog.
        inStock: false,
      })),
    );
  });

  test('an unknown or draft product is a 404', async () => {
    expect(
      (await app.inject({ method: 'GET', url: '/api/products/no-such-thing' })).statusCode,
    ).toBe(404);
    const draft = randomUUID();
    await db.query(
      `INSERT INTO products (id, slug, name, description, category_id, status, price_from, currency)
       SELECT $1, $2, 'Secret', 'Not yet', id, 'draft', 100, 'USD' FROM categories LIMIT 1`,
      [draft, `draft-${draft}`],
    );
    expect((await app.inject({ method: 'GET', url: `/api/products/${draft}` })).statusCode).toBe(
      404,
    );
  });

  test('a client holding the ETag gets 304 and no body; reads may be cached for a minute', async () => {
    const url = `/api/products/${catalogSeed().products[0]?.slug}`;
    const first = await app.inject({ method: 'GET', url });
    expect(first.headers['cache-control']).toBe('public, max-age=60');
    const etag = String(first.headers.etag);
    const again = await app.inject({ method: 'GET', url, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const listing = await app.inject({ method: 'GET', url: '/api/products?limit=3' });
    const relisted = await app.inject({
      method: 'GET',
      url: '/api/products?limit=3',
      headers: { 'if-none-match': String(listing.headers.etag) },
    });
    expect(relisted.statusCode).toBe(304);
  });
});

async function insertActiveProduct(price: number): Promise<void> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO products (id, slug, name, description, category_id, status, price_from, currency)
     SELECT $1, $2, 'Arriving Product', 'Added while a shopper pages.', id, 'active', $3, 'USD'
       FROM categories WHERE slug = 'cookware'`,
    [id, `arriving-${id}`, price],
  );
  await db.query(
    `INSERT INTO variants (sku, product_id, price_amount, currency) VALUES ($1, $2, $3, 'USD')`,
    [`NEW-${id.slice(0, 8).toUpperCase()}`, id, price],
  );
}
