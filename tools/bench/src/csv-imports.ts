import { randomUUID } from 'node:crypto';

export type ImportFigures = Array<{ file: string; rows: number; seconds: number }>;

/**
 * Imports two 10,000-row files through the gateway as the back office sends them: 2,500 new
 * draft products of 4 variants each, then stock for their 10,000 SKUs. Returns how long each took.
 */
export async function runCsvImports(options: {
  url: string;
  adminToken: string;
  category: string;
}): Promise<ImportFigures> {
  const run = randomUUID().slice(0, 8);
  const skus: string[] = [];
  const products = ['product,sku,options,price_eur,price_gbp,price_usd,name,category'];
  for (let product = 0; product < 2500; product += 1) {
    for (const size of ['S', 'M', 'L', 'XL']) {
      const sku = `BENCH-${run.toUpperCase()}-${product}-${size}`;
      skus.push(sku);
      products.push(
        `bench-${run}-${product},${sku},Size: ${size},1000,900,1100,Bench tee ${product},${options.category}`,
      );
    }
  }
  const stock = ['sku,on_hand', ...skus.map((sku, index) => `${sku},${index % 50}`)];
  const figures: ImportFigures = [];
  for (const [file, lines, path] of [
    ['products', products, '/api/admin/products/import'],
    ['stock', stock, '/api/admin/inventory/import'],
  ] as const) {
    const startedAt = performance.now();
    const response = await fetch(`${options.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.adminToken}`, 'content-type': 'text/csv' },
      body: lines.join('\n'),
    });
    const seconds = (performance.now() - startedAt) / 1000;
    if (response.status !== 200) {
      throw new Error(
        `${file} import: ${response.status} ${(await response.text()).slice(0, 300)}`,
      );
    }
    figures.push({ file, rows: lines.length - 1, seconds: Math.round(seconds * 100) / 100 });
  }
  return figures;
}
