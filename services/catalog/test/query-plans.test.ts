import { createHash } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@bazaar/db/test-database';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { migrations } from '../src/config.js';
import type { PageRequest } from '../src/store/product-listing-store.js';
import { productPageQuery } from '../src/store/product-listing-store.js';

type PlanNode = { 'Node Type': string; 'Index Name'?: string; Plans?: PlanNode[] };

let database: TestDatabase;

/** 20,000 products: at this size a sequential scan costs more, so the planner shows its indexes. */
beforeAll(async () => {
  database = await createTestDatabase(inject('postgresUrl'), { migrations: migrations });
  await database.pool.query(`
    INSERT INTO categories (id, slug, name) VALUES (gen_random_uuid(), 'things', 'Things');
    INSERT INTO products (id, slug, name, description, category_id, status, price_from, currency, created_at)
    SELECT gen_random_uuid(), 'product-' || i,
           (ARRAY['Desk Lamp', 'Mug', 'Chair', 'Table', 'Jacket'])[1 + i % 5] || ' ' || substr(md5(i::text), 1, 8),
           repeat('Made of ' || (ARRAY['oak', 'steel', 'wool', 'glass'])[1 + i % 4] || ' by hand. ', 12),
           (SELECT id FROM categories), CASE WHEN i % 10 = 0 THEN 'draft' ELSE 'active' END,
           100 + (i * 37) % 50000, 'USD', now() - i * interval '1 minute'
      FROM generate_series(1, 20000) AS i;
    INSERT INTO variants (sku, product_id, price_amount, currency)
    SELECT 'SKU-' || upper(substr(md5(id::text), 1, 12)), id, price_from, 'USD' FROM products;
    INSERT INTO variant_prices (sku, currency, amount) SELECT sku, 'USD', price_amount FROM variants;
    INSERT INTO product_prices (product_id, currency, price_from) SELECT id, 'USD', price_from FROM products;
    INSERT INTO sku_availability (sku, in_stock, changed_at)
    SELECT sku, row_number() OVER (ORDER BY sku) % 20 <> 0, now() FROM variants;
  `);
  // As autovacuum would: merges the GIN index's pending list and gathers statistics.
  await database.pool.query('VACUUM ANALYZE products');
  await database.pool.query('VACUUM ANALYZE variants');
  await database.pool.query('VACUUM ANALYZE sku_availability');
  await database.pool.query('VACUUM ANALYZE product_prices');
});

afterAll(() => database.drop());

async function indexesUsed(page: Partial<PageRequest>): Promise<string[]> {
  const { text, values } = productPageQuery({
    filters: { currency: 'USD' },
    sort: 'newest',
    after: undefined,
    skip: 0,
    limit: 25,
    ...page,
  });
  const { rows } = await database.pool.query(`EXPLAIN (FORMAT JSON) ${text}`, values);
  const names: string[] = [];
  const walk = (node: PlanNode) => {
    if (node['Index Name']) names.push(node['Index Name']);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(rows[0]['QUERY PLAN'][0].Plan);
  return names;
}

test('the newest-first listing reads the partial index on (created_at, id)', async () => {
  expect(await indexesUsed({ sort: 'newest' })).toContain('products_active_newest');
});

test("price sorts and price filters read the index on each product's lowest price per currency", async () => {
  expect(await indexesUsed({ sort: 'price_asc' })).toContain('product_prices_listing');
  expect(
    await indexesUsed({ sort: 'price_desc', filters: { currency: 'USD', maxPrice: 5000 } }),
  ).toContain('product_prices_listing');
});

test('a selective search reads the full-text GIN index', async () => {
  // The name of product 1234 holds the first 8 hex digits of md5('1234'): a word few products share.
  const filters = {
    currency: 'USD',
    searchQuery: `${createHash('md5').update('1234').digest('hex').slice(0, 6)}:*`,
  };
  expect(await indexesUsed({ sort: 'relevance', filters })).toContain('products_search');
});

test('a later page starts at the cursor through the same index', async () => {
  const after = { key: '2000-01-01T00:00:00.000000Z', id: '00000000-0000-4000-8000-000000000000' };
  expect(await indexesUsed({ sort: 'newest', after })).toContain('products_active_newest');
});

test('each row counts its variants through the variants index', async () => {
  expect(await indexesUsed({ sort: 'newest' })).toContain('variants_product');
});

test('the in-stock filter looks each variant up in the availability index', async () => {
  const used = await indexesUsed({ sort: 'newest', filters: { currency: 'USD', inStock: true } });
  expect(used).toContain('products_active_newest');
  expect(used.some((name) => name.startsWith('sku_availability'))).toBe(true);
});
