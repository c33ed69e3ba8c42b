import { createHash } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@bazaar/db/test-database';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { migrations } from '../src/config.js';
import { selectPrices } from '../src/store/price-store.js';
import type { PageRequest } from '../src/store/product-listing-store.js';
import { productPageQuery } from '../src/store/product-listing-store.js';

type PlanNode = {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
};

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
  return nodesOf(rows[0]['QUERY PLAN'][0].Plan).flatMap((node) => node['Index Name'] ?? []);
}

/** A plan's nodes, the root first and then each subtree in turn. */
function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
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

test("the price look-up is planned once a connection, and its plan reads each table by key even when made on a fresh shop's tables, before any ANALYZE", async () => {
  const fresh = await createTestDatabase(inject('postgresUrl'), { migrations: migrations });
  const client = await fresh.pool.connect();
  try {
    await client.query(`
      INSERT INTO categories (id, slug, name) VALUES (gen_random_uuid(), 'things', 'Things');
      INSERT INTO products (id, slug, name, description, category_id, status, price_from, currency)
      SELECT gen_random_uuid(), 'product-' || i, 'Product ' || i, 'A thing', (SELECT id FROM categories),
             'active', 100 + i, 'USD' FROM generate_series(1, 12) AS i;
      INSERT INTO variants (sku, product_id, price_amount, currency)
      SELECT 'SKU-' || substr(slug, 9), id, price_from, 'USD' FROM products;
      INSERT INTO variant_prices (sku, currency, amount) SELECT sku, 'USD', price_amount FROM variants;
    `);
    for (let call = 0; call < 8; call += 1) {
      expect(await selectPrices(client, ['SKU-3', 'SKU-7', 'SKU-99'], 'USD')).toHaveLength(2);
    }
    const {
      rows: [statement],
    } = await client.query<{ name: string; generic_plans: string; custom_plans: string }>(
      `SELECT name, generic_plans, custom_plans FROM pg_prepared_statements
        WHERE statement LIKE '%FROM variant_prices vp%'`,
    );
    // PostgreSQL tries five custom plans before it settles on the generic one.
    expect(Number(statement?.custom_plans)).toBeLessThanOrEqual(5);
    expect(Number(statement?.generic_plans)).toBeGreaterThanOrEqual(3);

    const { rows } = await client.query(
      `EXPLAIN (FORMAT JSON) EXECUTE ${statement?.name}('{SKU-3}', 'USD')`,
    );
    const steps = nodesOf(rows[0]['QUERY PLAN'][0].Plan).map((node) =>
      node['Relation Name']
        ? `${node['Node Type']} on ${node['Relation Name']}`
        : node['Node Type'],
    );
    expect(steps.filter((step) => /Join|Nested Loop|Seq Scan/.test(step))).toEqual([]);
  } finally {
    client.release();
    await fresh.drop();
  }
});
