import { randomUUID } from 'node:crypto';

export type ImportFigures = Array<{ file: string; rows: number; seconds: number }>;
type Shop = { url: string; adminToken: string; category: string };

/**
 * Imports two 10,000-row files through the gateway as the back office sends them: 2,500 new
 * draft products of 4 variants each, then stock for their 10,000 SKUs. Returns how long each took.
 */
export async function runCsvImports(shop: Shop): Promise<ImportFigures> {
  const products = await importNewProducts(shop);
  const stock = ['sku,on_hand', ...products.skus.map((sku, index) => `${sku},${index % 50}`)];
  return [products.figures, await importCsv(shop, 'stock', '/api/admin/inventory/import', stock)];
}

/** 2,500 new draft products of 4 variants each, in one file: 2,500 product events. */
export async function importNewProducts(shop: Shop) {
  const run = randomUUID().slice(0, 8);
  const skus: string[] = [];
  const lines = ['product,sku,options,price_eur,price_gbp,price_usd,name,category'];
  for (let product = 0; product < 2500; product += 1) {
    for (const size of ['S', 'M', 'L', 'XL']) {
      const sku = `BENCH-${run.toUpperCase()}-${product}-${size}`;
      skus.push(sku);
      lines.push(
        `bench-${run}-${product},${sku},Size: ${size},1000,900,1100,Bench tee ${product},${shop.category}`,
      );
    }
  }
  const figures = await importCsv(shop, 'products', '/api/admin/products/import', lines);
  return { skus, figures };
}

async function importCsv(shop: Shop, file: string, path: string, lines: readonly string[]) {
  const startedAt = performance.now();
  const response = await fetch(`${shop.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${shop.adminToken}`, 'content-type': 'text/csv' },
    body: lines.join('\n'),
  });
  const seconds = (performance.now() - startedAt) / 1000;
  if (response.status !== 200) {
    throw new Error(`${file} import: ${response.status} ${(await response.text()).slice(0, 300)}`);
  }
  return { file, rows: lines.length - 1, seconds: Math.round(seconds * 100) / 100 };
}
