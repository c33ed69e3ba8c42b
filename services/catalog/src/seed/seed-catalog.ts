import { createHash } from 'node:crypto';
import type { Money } from '@bazaar/contracts/money';
import { type Pool, withTransaction } from '@bazaar/db/pool';
import { slugify } from '../domain/product.js';
import {
  insertCategories,
  insertProducts,
  type NewCategory,
  type NewProduct,
  type NewVariant,
} from '../store/product-store.js';
import { insertRegions } from '../store/region-store.js';
import { type Aisle, assortment, type OptionScheme } from './seed-assortment.js';
import { demoRegions } from './seed-regions.js';

const firstDay = Date.parse('2026-01-01T00:00:00Z');
const colours = [
  ['Black', 'BLK'],
  ['Sage', 'SGE'],
  ['Navy', 'NVY'],
  ['Terracotta', 'TRC'],
  ['Sand', 'SND'],
  ['Charcoal', 'CHR'],
  ['Mustard', 'MST'],
  ['White', 'WHT'],
] as const;

/** The same categories, products and SKUs on every machine: ids are derived from slugs. */
export function catalogSeed(): { categories: NewCategory[]; products: NewProduct[] } {
  const categories: NewCategory[] = [];
  const products: NewProduct[] = [];
  const aisles = assortment.flatMap((department) => department.aisles);
  for (const department of assortment) {
    const departmentId = stableUuid(`category:${department.slug}`);
    categories.push({
      id: departmentId,
      slug: department.slug,
      name: department.name,
      parentId: null,
    });
    for (const aisle of department.aisles) {
      const aisleId = stableUuid(`category:${aisle.slug}`);
      categories.push({ id: aisleId, slug: aisle.slug, name: aisle.name, parentId: departmentId });
      products.push(...aisleProducts(aisle, aisleId, aisles.indexOf(aisle), aisles.length));
    }
  }
  return { categories, products };
}

/**
 * Loads the demo regions (keeping what a shop has of them) and the demo catalog into an empty
 * catalog; a catalog that has products is left alone.
 */
export async function seedCatalog(pool: Pool): Promise<{ products: number }> {
  await withTransaction(pool, (trx) => insertRegions(trx, demoRegions));
  const { rows } = await pool.query<{ empty: boolean }>(
    'SELECT NOT EXISTS (SELECT 1 FROM products) AS empty',
  );
  if (!rows[0]?.empty) return { products: 0 };
  const { categories, products } = catalogSeed();
  await withTransaction(pool, async (trx) => {
    await insertCategories(trx, categories);
    await insertProducts(trx, products);
  });
  // Fresh statistics, so the first queries are planned for 240 products rather than for none.
  await pool.query('ANALYZE categories, products, variants, variant_prices, product_prices');
  return { products: products.length };
}

function aisleProducts(aisle: Aisle, categoryId: string, aisleIndex: number, aisleCount: number) {
  return aisle.modifiers.flatMap((modifier, modifierIndex) =>
    aisle.items.map((item, itemIndex): NewProduct => {
      const number = modifierIndex * aisle.items.length + itemIndex;
      const name = `${modifier.name} ${item.name}`;
      const slug = slugify(name);
      const price = Math.max(
        99,
        Math.round((item.basePrice * modifier.priceFactor) / 100) * 100 - 1,
      );
      // Interleave aisles in time so the newest page shows the whole shop, not one aisle.
      const createdAt = new Date(firstDay + (number * aisleCount + aisleIndex) * 3_600_000);
      return {
        id: stableUuid(`product:${slug}`),
        slug,
        name,
        description: `${item.blurb} ${modifier.blurb}`,
        categoryId,
        images: [`/media/demo/${slug}.png`],
        createdAt,
        variants: variantsOf(
          aisle.options,
          `${aisle.code}-${String(number + 1).padStart(2, '0')}`,
          price,
          number,
        ),
      };
    }),
  );
}

/**
 * A SKU's price list: dollars as the assortment says, pounds and euros set once for the demo (a
 * shop's own prices per currency, never converted at checkout), each ending in 99.
 */
function priceList(dollars: number): Money[] {
  const ending99 = (amount: number) => Math.max(99, Math.round(amount / 100) * 100 - 1);
  return [
    { amount: dollars, currency: 'USD' },
    { amount: ending99(dollars * 0.8), currency: 'GBP' },
    { amount: ending99(dollars * 0.92), currency: 'EUR' },
  ];
}

function variantsOf(scheme: OptionScheme, skuStem: string, dollars: number, seed: number) {
  const variant = (suffix: string[], options: Record<string, string>): NewVariant => ({
    sku: [skuStem, ...suffix].join('-'),
    options,
    prices: priceList(dollars),
  });
  const pickColours = (count: number) =>
    Array.from(
      { length: count },
      (_, index) => colours[(seed + index * 3) % colours.length] ?? colours[0],
    );
  switch (scheme) {
    case 'single':
      return [variant([], {})];
    case 'colours':
      return pickColours(1 + (seed % 3)).map(([colour, code]) => variant([code], { colour }));
    case 'apparel':
      return pickColours(2).flatMap(([colour, code]) =>
        ['S', 'M', 'L', 'XL'].map((size) => variant([code, size], { colour, size })),
      );
    case 'shoes':
      return ['39', '40', '41', '42', '43', '44'].map((size) => variant([size], { size }));
  }
}

/** A name-based (version 5 style) UUID, so re-seeding any machine yields the same ids. */
function stableUuid(name: string): string {
  const bytes = createHash('sha1').update(`bazaar:${name}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
