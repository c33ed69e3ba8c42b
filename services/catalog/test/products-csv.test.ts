import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { type RunningCatalog, startCatalog } from './catalog-fixture.js';

let catalog: RunningCatalog;

beforeAll(async () => {
  catalog = await startCatalog(inject('postgresUrl'));
});

afterAll(() => catalog.close());

const importCsv = (csv: string, dryRun = false) =>
  catalog.app.inject({
    method: 'POST',
    url: `/api/admin/products/import${dryRun ? '?dryRun=true' : ''}`,
    headers: { authorization: `Bearer ${catalog.adminToken}`, 'content-type': 'text/csv' },
    payload: csv,
  });
const exportCsv = () => catalog.send('GET', '/api/admin/products/export');
const productBySlug = async (slug: string) => {
  const { rows } = await catalog.db.query('SELECT id FROM products WHERE slug = $1', [slug]);
  return rows[0] && (await catalog.send('GET', `/api/admin/products/${rows[0].id}`)).json();
};
const updatesOf = async (productId: string) =>
  (
    await catalog.db.query(
      `SELECT data FROM outbox WHERE type = 'catalog.product.updated.v1' AND subject = $1`,
      [productId],
    )
  ).rows.map((row) => row.data);
const unique = () => randomUUID().slice(0, 8);
const header = 'product,sku,options,price_eur,price_gbp,price_usd,name,category,status,description';

describe('products as CSV', () => {
  test("the shop's own export imports back with nothing to change, and names each column", async () => {
    const exported = await exportCsv();

    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toMatch(/^text\/csv/);
    expect(exported.headers['content-disposition']).toContain('products.csv');
    expect(exported.body.split('\n')[0]).toBe(
      'product,sku,options,price_eur,price_gbp,price_usd,name,category,status,images,description',
    );
    const again = await importCsv(exported.body);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ created: 0, updated: 0, errors: [] });
    expect(again.json().unchanged).toBe(again.json().rows);
    expect(again.json().rows).toBeGreaterThan(50);
  });

  test('an import adds a product from several rows, then a second file changes one price: only that is written and announced', async () => {
    const slug = `csv-lamp-${unique()}`;
    const [small, large] = [`CSV-${unique()}`, `CSV-${unique()}`].map((sku) => sku.toUpperCase());
    const created = await importCsv(
      [
        header,
        // Quoted cells carry commas and quotes; a product's cells may be left empty on its later rows.
        `${slug},${small},"Size: S; Finish: Brass",2500,2200,2900,"Desk lamp, ""Arc""",lighting,active,"Brass, cloth cord."`,
        `${slug},${large},"Size: L; Finish: Brass",3500,3100,3900,,,,`,
      ].join('\n'),
    );
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json()).toMatchObject({ rows: 2, created: 2, updated: 0, unchanged: 0 });

    const product = await productBySlug(slug);
    expect(product).toMatchObject({
      name: 'Desk lamp, "Arc"',
      category: { slug: 'lighting' },
      status: 'active',
      description: 'Brass, cloth cord.',
    });
    expect(product.variants.map((variant: { sku: string }) => variant.sku)).toEqual([small, large]);
    expect(product.variants[1].options).toEqual({ Size: 'L', Finish: 'Brass' });
    expect(product.variants[1].prices).toEqual([
      { amount: 3500, currency: 'EUR' },
      { amount: 3100, currency: 'GBP' },
      { amount: 3900, currency: 'USD' },
    ]);
    expect(await updatesOf(product.id)).toHaveLength(1);

    // Only the columns a file has are read: here a new US price for one SKU.
    const repriced = await importCsv(
      `product,sku,price_usd\n${slug},${large},4200\n${slug},${small},2900\n`,
    );
    expect(repriced.json()).toMatchObject({ rows: 2, created: 0, updated: 1, unchanged: 1 });
    const after = await productBySlug(slug);
    expect(after.variants[1].prices).toContainEqual({ amount: 4200, currency: 'USD' });
    expect(after.variants[1].prices).toContainEqual({ amount: 3100, currency: 'GBP' });
    expect(after.name).toBe('Desk lamp, "Arc"');
    const updates = await updatesOf(product.id);
    expect(updates).toHaveLength(2);
    expect(updates[1].skus).toContainEqual(
      expect.objectContaining({
        sku: large,
        active: true,
        price: { amount: 4200, currency: 'USD' },
      }),
    );
    const shown = await catalog.app.inject({ method: 'GET', url: `/api/products/${slug}` });
    expect(shown.json().variants[1].price).toEqual({ amount: 4200, currency: 'USD' });
  });

  test('a name a spreadsheet would run as a formula is exported behind a quote, and comes back as it was', async () => {
    const slug = `csv-formula-${unique()}`;
    const sku = `CSV-${unique()}`.toUpperCase();
    const name = '=HYPERLINK("https://attacker.example","Click")';
    const imported = await importCsv(
      `${header}\n${slug},${sku},,100,100,100,"${name.replaceAll('"', '""')}",lighting,draft,- rattan\n`,
    );
    expect(imported.statusCode, imported.body).toBe(200);
    expect((await productBySlug(slug)).name).toBe(name);

    const exported = (await exportCsv()).body;
    const row = exported.split('\n').find((line) => line.startsWith(`${slug},`)) ?? '';
    expect(row).toContain(`"'=HYPERLINK(""https://attacker.example"",""Click"")"`);
    expect(row).toMatch(/,'- rattan$/);
    const again = await importCsv(`${exported.split('\n')[0]}\n${row}\n`);
    expect(again.json()).toMatchObject({ rows: 1, unchanged: 1 });
    expect((await productBySlug(slug)).description).toBe('- rattan');
  });

  test('a dry run reports every bad cell by line and column and writes nothing; the same file imported is a 422 naming them', async () => {
    const taken = (await exportCsv()).body.split('\n')[1]?.split(',')[1] as string;
    const slug = `csv-bad-${unique()}`;
    const fresh = `CSV-${unique()}`.toUpperCase();
    const csv = [
      header,
      `${slug},${fresh},Size: S,2500,2200,12.50,Lamp,lighting,,`,
      `${slug},${taken},,2500,2200,2900,Other name,lighting,,`,
      `Not A Slug,CSV-${unique().toUpperCase()},,1,1,1,X,lighting,,`,
      `csv-new-${unique()},CSV-${unique().toUpperCase()},,2500,,2900,Y,no-such-aisle,sold,`,
      `csv-new-${unique()},${fresh},Size,1,1,1,Z,lighting,,`,
    ].join('\n');

    const dry = await importCsv(csv, true);
    expect(dry.statusCode).toBe(200);
    expect(dry.json().errors).toEqual([
      { line: 2, column: 'price_usd', message: 'is in minor units: 12.50 USD is written 1250' },
      { line: 2, column: 'price_usd', message: 'is needed: the shop sells in USD' },
      { line: 3, column: 'name', message: 'differs from line 2 of the same product' },
      { line: 3, column: 'sku', message: expect.stringMatching(/^belongs to product /) },
      { line: 4, column: 'product', message: 'is not a product slug such as linen-shirt' },
      { line: 5, column: 'status', message: 'is not one of draft, active, archived' },
      { line: 5, column: 'category', message: 'is not a category of this shop' },
      { line: 5, column: 'price_gbp', message: 'is needed: the shop sells in GBP' },
      { line: 6, column: 'sku', message: 'repeats line 2' },
      {
        line: 6,
        column: 'options',
        message: 'are not up to 6 pairs such as "Colour: Sand; Size: M"',
      },
    ]);
    expect(await productBySlug(slug)).toBeUndefined();

    const wet = await importCsv(csv);
    expect(wet.statusCode).toBe(422);
    expect(wet.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(wet.json().code).toBe('invalid_import');
    expect(wet.json().errors).toContainEqual({
      field: 'category',
      in: 'body',
      line: 5,
      message: 'is not a category of this shop',
    });
    expect(await productBySlug(slug)).toBeUndefined();

    const badHeader = await importCsv('product,sku,price_xyz,colour\nx,Y,1,red\n');
    expect(badHeader.statusCode).toBe(422);
    expect(badHeader.json().errors.map((error: { field: string }) => error.field)).toEqual([
      'colour',
      'price_xyz',
    ]);
    const noSku = await importCsv('product,name\nx,y\n', true);
    expect(noSku.json().errors).toEqual([
      { line: 1, column: 'sku', message: 'is a column the file must have' },
    ]);
  });

  test('10,000 rows (2,500 products of 4 variants) are written in batches, each product announced once', async ({
    annotate,
  }) => {
    const run = unique();
    const lines = [header];
    for (let product = 0; product < 2500; product += 1) {
      for (const size of ['S', 'M', 'L', 'XL']) {
        lines.push(
          `bulk-${run}-${product},BLK-${run.toUpperCase()}-${product}-${size},Size: ${size},1000,900,1100,Bulk tee ${product},clothing,draft,`,
        );
      }
    }
    const startedAt = performance.now();
    const imported = await importCsv(lines.join('\n'));
    const seconds = (performance.now() - startedAt) / 1000;
    await annotate(`10,000 product rows imported in ${seconds.toFixed(1)} s`);

    expect(imported.statusCode, imported.body.slice(0, 500)).toBe(200);
    expect(imported.json()).toMatchObject({ rows: 10_000, created: 10_000, errors: [] });
    const { rows } = await catalog.db.query<{ products: number; variants: number; events: number }>(
      `SELECT count(DISTINCT p.id)::int AS products, count(*)::int AS variants,
              (SELECT count(*)::int FROM outbox o
                WHERE o.type = 'catalog.product.updated.v1'
                  AND o.subject IN (SELECT id::text FROM products WHERE slug LIKE $1)) AS events
         FROM products p JOIN variants v ON v.product_id = p.id WHERE p.slug LIKE $1`,
      [`bulk-${run}-%`],
    );
    expect(rows[0]).toEqual({ products: 2500, variants: 10_000, events: 2500 });
  }, 120_000);
});
