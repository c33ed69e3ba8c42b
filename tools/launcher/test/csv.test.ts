import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type RunningShop, startShop } from '@bazaar/testing/shop';
import { devAdmin } from '@bazaar/testing/shop-client';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';

/** `npm run csv`, the bundled command, against a whole shop's gateway. */
const command = new URL('../dist/commands/csv.js', import.meta.url).pathname;
let shop: RunningShop;
let directory: string;

beforeAll(async () => {
  shop = await startShop(inject('postgresUrl'));
  directory = await mkdtemp(join(tmpdir(), 'bazaar-csv-'));
}, 120_000);
afterAll(async () => {
  await shop?.stop();
  if (directory) await rm(directory, { recursive: true });
});

const csv = (args: string[], env: Record<string, string> = {}) =>
  promisify(execFile)(process.execPath, [command, ...args], {
    env: {
      ...process.env,
      BAZAAR_URL: shop.url,
      BAZAAR_ADMIN_EMAIL: devAdmin.email,
      BAZAAR_ADMIN_PASSWORD: devAdmin.password,
      ...env,
    },
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (failure: { code: number; stdout: string; stderr: string }) => failure,
  );

test('an admin exports the products, changes a price in the file, checks it and imports it; the shop sells at the new price', async () => {
  const exported = await csv(['export', 'products']);
  expect(exported.code).toBe(0);
  const [header = '', ...rows] = exported.stdout.trimEnd().split('\n');
  expect(header).toMatch(/^product,sku,options,price_eur,price_gbp,price_usd,name,/);
  const usd = header.split(',').indexOf('price_usd');
  const [slug = '', sku = ''] = rows[0]?.split(',') ?? [];
  const file = join(directory, 'products.csv');
  await writeFile(file, `product,sku,price_usd\n${slug},${sku},4321\n`);

  const checked = await csv(['import', 'products', file, '--dry-run']);
  expect(checked).toMatchObject({
    code: 0,
    stdout: '1 rows: 0 new, 1 changed, 0 unchanged; checked, nothing written\n',
  });
  expect(rows[0]?.split(',')[usd]).not.toBe('4321');

  const imported = await csv(['import', 'products', file]);
  expect(imported).toMatchObject({
    code: 0,
    stdout: '1 rows: 0 new, 1 changed, 0 unchanged; imported\n',
  });
  const product = await fetch(`${shop.url}/api/products/${slug}`).then((answer) => answer.json());
  expect(
    product.variants.find((variant: { sku: string }) => variant.sku === sku).prices,
  ).toContainEqual({ amount: 4321, currency: 'USD' });
}, 60_000);

test('a file with bad cells writes nothing and names each by line and column; a missing setting or file is one line', async () => {
  const file = join(directory, 'stock.csv');
  await writeFile(file, 'sku,on_hand\nLGT-05-SND,40\nlamp,3\n');
  const refused = await csv(['import', 'stock', file]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toBe(
    'line 3, sku: is not a SKU such as LGT-05-SND\n1 problem(s); nothing was written\n',
  );
  const stock = await csv(['export', 'stock']);
  expect(stock.stdout).toMatch(/^sku,on_hand,reserved,available,low_stock_threshold\n/);
  expect(stock.stdout).not.toMatch(/^LGT-05-SND,40,/m);

  const production = await csv(['export', 'stock'], {
    NODE_ENV: 'production',
    BAZAAR_ADMIN_PASSWORD: '',
  });
  expect(production).toMatchObject({
    code: 1,
    stderr:
      'csv: BAZAAR_ADMIN_EMAIL and BAZAAR_ADMIN_PASSWORD are needed with NODE_ENV=production\n',
  });
  const missing = await csv(['import', 'stock', join(directory, 'nothing.csv')]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/^csv: ENOENT/);
  const usage = await csv(['import', 'orders', file]);
  expect(usage.code).toBe(2);
  expect(usage.stderr).toMatch(/^usage: npm run csv/);
  expect(await readFile(file, 'utf8')).toContain('lamp,3');
}, 60_000);
