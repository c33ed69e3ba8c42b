import { randomUUID } from 'node:crypto';
import type { Money } from '@bazaar/contracts/money';
import { currencyDigits } from '@bazaar/contracts/money-format';
import { type Pool, type Queryable, withTransaction } from '@bazaar/db/pool';
import { addToOutbox } from '@bazaar/events/outbox';
import {
  type CsvImportReport,
  type CsvProblem,
  type CsvRecord,
  csvProblem,
  importReport,
  readCsv,
  writeCsv,
} from '@bazaar/service-kit/csv';
import { selectCategories } from '../store/category-store.js';
import { writePriceLists } from '../store/price-list-store.js';
import { selectProductDetails } from '../store/product-store.js';
import { saveProductRows, selectSkuOwners, upsertVariants } from '../store/product-write-store.js';
import { selectRegions } from '../store/region-store.js';
import { isoCurrencies } from './errors.js';
import { maxProductImages } from './images.js';
import type { ProductStatus, StoredProduct } from './product.js';
import { type ProductInput, productUpdated, type VariantInput } from './product-changes.js';
import type { ReadCache } from './read-cache.js';

/**
 * Products as CSV, a row per variant: the product's own cells (`name`, `category`, `status`,
 * `images` separated by spaces, `description`) on each of its rows, `options` as
 * `Colour: Sand; Size: M`, and a `price_<currency>` column per currency in minor units.
 */
const productColumns = ['name', 'category', 'status', 'images', 'description'] as const;
const exportColumns = ['product', 'sku', 'options', ...productColumns];
const priceColumn = /^price_([a-z]{3})$/;
const slugPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const skuPattern = /^[A-Z0-9]+(-[A-Z0-9]+)*$/;
const imagePattern = /^(https:\/\/|\/)\S+$/;
const statuses: readonly ProductStatus[] = ['draft', 'active', 'archived'];
const maxAmount = 100_000_000;
/** Rows written per transaction, at most (a product's rows are never split). */
const batchRows = 1000;

type ProductCells = Partial<Omit<ProductInput, 'slug' | 'variants'>>;
type Row = {
  line: number;
  slug: string;
  sku: string;
  /** Undefined where the file has no `options` column: the stored ones are kept. */
  options?: Record<string, string>;
  /** The prices the row gives; a currency it leaves empty keeps the stored price. */
  prices: Money[];
  product: ProductCells;
};

/** Every product in any status, a row per variant, in product then variant order. */
export async function productsCsv(db: Queryable): Promise<string> {
  const products = await selectProductDetails(db, 'all');
  const currencies = [
    ...new Set(
      products.flatMap((product) =>
        product.variants.flatMap((variant) => variant.prices.map((price) => price.currency)),
      ),
    ),
  ].sort();
  return writeCsv(
    [
      ...exportColumns.slice(0, 3),
      ...currencies.map((currency) => `price_${currency.toLowerCase()}`),
      ...productColumns,
    ],
    products.flatMap((product) =>
      product.variants.map((variant) => [
        product.slug,
        variant.sku,
        Object.entries(variant.options)
          .map(([name, value]) => `${name}: ${value}`)
          .join('; '),
        ...currencies.map(
          (currency) => variant.prices.find((price) => price.currency === currency)?.amount ?? '',
        ),
        product.name,
        product.category.slug,
        product.status,
        product.images.join(' '),
        product.description,
      ]),
    ),
  );
}

/**
 * Adds and changes products and their variants from CSV, by product slug and SKU: a SKU not yet
 * sold is added to its product (a product not yet sold is added, a draft unless `status` says
 * otherwise); a column the file leaves out, or a cell left empty, keeps what is stored. Variants
 * the file does not name are kept. Every bad cell is reported by line and column, including the
 * rules a product's form keeps (every variant priced in every region's currency, each product's
 * variants in the same currencies, a SKU belongs to one product); with any, or on a dry run,
 * nothing is written. Else the products are written in batches of about 1000 rows, one
 * transaction each, and each changed product announced as a form's change is.
 */
export async function importProductsCsv(
  deps: { db: Pool; cache: ReadCache },
  text: string,
  options: { dryRun: boolean },
): Promise<CsvImportReport> {
  const { db } = deps;
  const { rows, errors } = readProductsCsv(text);
  const stored = new Map(
    (await selectProductDetails(db, { slugs: [...new Set(rows.map((row) => row.slug))] })).map(
      (product) => [product.slug, product],
    ),
  );
  const owners = await selectSkuOwners(
    db,
    rows.map((row) => row.sku),
  );
  const categories = new Map((await selectCategories(db)).map((c) => [c.slug, c.id]));
  const regionCurrencies = [...new Set((await selectRegions(db)).map((region) => region.currency))];

  const plans = planProducts(rows, stored, { owners, categories, regionCurrencies }, errors);
  const report = importReport({
    dryRun: options.dryRun,
    rows: rows.length,
    created: rows.filter((row) => !owners.has(row.sku)).length,
    changed: plans.flatMap((plan) => plan.changedLines).length,
    errors,
  });
  if (options.dryRun || errors.length > 0) return report;

  const changed = plans.filter((plan) => plan.changedLines.length > 0);
  for (const batch of batches(changed)) {
    await writeBatch(db, batch, categories);
  }
  if (changed.length > 0) await deps.cache.invalidate();
  return report;
}

type Plan = {
  before: StoredProduct | undefined;
  id: string;
  input: ProductInput;
  /** The lines of the file that change something. */
  changedLines: number[];
};

function planProducts(
  rows: readonly Row[],
  stored: ReadonlyMap<string, StoredProduct>,
  shop: {
    owners: ReadonlyMap<string, string>;
    categories: ReadonlyMap<string, string>;
    regionCurrencies: readonly string[];
  },
  errors: CsvProblem[],
): Plan[] {
  const bySlug = new Map<string, Row[]>();
  for (const row of rows) {
    const group = bySlug.get(row.slug);
    if (group) group.push(row);
    else bySlug.set(row.slug, [row]);
  }
  return [...bySlug].flatMap(([slug, productRows]) => {
    const before = stored.get(slug);
    const cells = productCells(productRows, errors);
    const input: ProductInput = {
      slug,
      name: cells.name ?? before?.name ?? '',
      description: cells.description ?? before?.description ?? '',
      category: cells.category ?? before?.category.slug ?? '',
      status: cells.status ?? before?.status ?? 'draft',
      images: cells.images ?? before?.images ?? [],
      variants:
        before?.variants.map(({ sku, options, prices }) => ({ sku, options, prices })) ?? [],
    };
    const first = productRows[0] as Row;
    if (!before && !cells.name)
      errors.push(csvProblem(first.line, 'name', 'is needed for a new product'));
    if (!before && !cells.category) {
      errors.push(csvProblem(first.line, 'category', 'is needed for a new product'));
    }
    if (cells.category && !shop.categories.has(cells.category)) {
      errors.push(csvProblem(first.line, 'category', 'is not a category of this shop'));
    }
    const productChanged = before !== undefined && !sameProduct(before, input);
    const changedLines: number[] = [];
    for (const row of productRows) {
      const owner = shop.owners.get(row.sku);
      if (owner !== undefined && owner !== slug) {
        errors.push(csvProblem(row.line, 'sku', `belongs to product ${owner}`));
        continue;
      }
      const at = input.variants.findIndex((variant) => variant.sku === row.sku);
      const old = input.variants[at];
      const variant: VariantInput = {
        sku: row.sku,
        options: row.options ?? old?.options ?? {},
        prices: mergePrices(old?.prices ?? [], row.prices),
      };
      if (at === -1) input.variants.push(variant);
      else input.variants[at] = variant;
      if (!before || productChanged || !old || !sameVariant(old, variant)) {
        changedLines.push(row.line);
      }
    }
    checkVariants(productRows, input.variants, shop.regionCurrencies, errors);
    return [{ before, id: before?.id ?? randomUUID(), input, changedLines }];
  });
}

/** A product's own cells, from the first of its rows that gives each; another value is a problem. */
function productCells(rows: readonly Row[], errors: CsvProblem[]): ProductCells {
  const cells: ProductCells = {};
  const from: Partial<Record<keyof ProductCells, number>> = {};
  for (const row of rows) {
    for (const column of productColumns) {
      const value = row.product[column];
      if (value === undefined) continue;
      if (cells[column] === undefined) {
        Object.assign(cells, { [column]: value });
        from[column] = row.line;
      } else if (JSON.stringify(cells[column]) !== JSON.stringify(value)) {
        errors.push(
          csvProblem(row.line, column, `differs from line ${from[column]} of the same product`),
        );
      }
    }
  }
  return cells;
}

/** The rules of a product's variants, each broken one named at the line of the row it is on. */
function checkVariants(
  rows: readonly Row[],
  variants: readonly VariantInput[],
  regionCurrencies: readonly string[],
  errors: CsvProblem[],
): void {
  const currenciesOf = (variant: VariantInput | undefined) =>
    (variant?.prices ?? []).map((price) => price.currency).sort();
  const firstCurrencies = currenciesOf(variants[0]).join(', ');
  if (variants.length > 100) {
    errors.push(
      csvProblem((rows[0] as Row).line, 'sku', 'makes more than 100 variants of a product'),
    );
  }
  for (const row of rows) {
    const variant = variants.find((candidate) => candidate.sku === row.sku);
    if (!variant) continue;
    const missing = regionCurrencies.filter(
      (currency) => !currenciesOf(variant).includes(currency),
    );
    for (const currency of missing) {
      errors.push(
        csvProblem(
          row.line,
          `price_${currency.toLowerCase()}`,
          `is needed: the shop sells in ${currency}`,
        ),
      );
    }
    if (missing.length === 0 && currenciesOf(variant).join(', ') !== firstCurrencies) {
      errors.push(
        csvProblem(
          row.line,
          'sku',
          `is priced in ${currenciesOf(variant).join(', ')}, its product's other variants in ${firstCurrencies}`,
        ),
      );
    }
  }
}

async function writeBatch(
  db: Pool,
  plans: readonly Plan[],
  categories: ReadonlyMap<string, string>,
): Promise<void> {
  await withTransaction(db, async (trx) => {
    await saveProductRows(
      trx,
      plans.map(({ id, input }) => ({
        id,
        product: { ...input, categoryId: categories.get(input.category) as string },
        variants: input.variants,
      })),
    );
    const variants = plans.flatMap(({ id, input }) =>
      input.variants.map((variant, position) => ({ ...variant, productId: id, position })),
    );
    const taken = await upsertVariants(trx, variants);
    if (taken.length > 0) {
      // Another product took the SKU after the file was checked: nothing of the batch is kept.
      throw new Error(
        `SKU ${taken.map(({ sku }) => sku).join(', ')} went to another product during the import`,
      );
    }
    const ids = plans.map(({ id }) => id);
    await writePriceLists(trx, ids, variants);
    const after = await selectProductDetails(trx, { ids });
    const before = new Map(plans.map((plan) => [plan.id, plan.before]));
    await addToOutbox(
      trx,
      ...after.map((product) => productUpdated(before.get(product.id), product)),
    );
  });
}

/** Plans in batches of about `batchRows` variants each. */
function* batches(plans: readonly Plan[]): Generator<Plan[]> {
  let batch: Plan[] = [];
  let size = 0;
  for (const plan of plans) {
    batch.push(plan);
    size += plan.input.variants.length;
    if (size >= batchRows) {
      yield batch;
      batch = [];
      size = 0;
    }
  }
  if (batch.length > 0) yield batch;
}

function mergePrices(stored: readonly Money[], given: readonly Money[]): Money[] {
  const merged = new Map(stored.map((price) => [price.currency, price]));
  for (const price of given) merged.set(price.currency, price);
  return [...merged.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

function sameProduct(before: StoredProduct, input: ProductInput): boolean {
  return (
    before.name === input.name &&
    before.description === input.description &&
    before.category.slug === input.category &&
    before.status === input.status &&
    before.images.join(' ') === input.images.join(' ')
  );
}

function sameVariant(before: VariantInput, after: VariantInput): boolean {
  const prices = (variant: VariantInput) => JSON.stringify(mergePrices([], variant.prices));
  return (
    JSON.stringify(Object.entries(before.options)) ===
      JSON.stringify(Object.entries(after.options)) && prices(before) === prices(after)
  );
}

/** The rows of the file, each cell checked. */
function readProductsCsv(text: string): { rows: Row[]; errors: CsvProblem[] } {
  const { records, columns, errors } = readCsv(text, {
    of: 'products',
    required: ['product', 'sku'],
    known: (column) => exportColumns.includes(column) || priceColumn.test(column),
    columns: `${exportColumns.join(', ')} and price_<currency> (such as price_usd)`,
  });
  const currencies = columns.flatMap((column) => {
    const code = priceColumn.exec(column)?.[1]?.toUpperCase();
    if (code === undefined) return [];
    if (isoCurrencies.has(code)) return [{ column, code }];
    errors.push(csvProblem(1, column, 'does not name an ISO 4217 currency'));
    return [];
  });
  if (errors.length > 0) return { rows: [], errors };
  const seen = new Map<string, number>();
  const rows = records.map((record) => readRow(record, columns, currencies, seen, errors));
  return { rows, errors };
}

function readRow(
  { line, cells }: CsvRecord,
  columns: readonly string[],
  currencies: ReadonlyArray<{ column: string; code: string }>,
  seen: Map<string, number>,
  errors: CsvProblem[],
): Row {
  const bad = (column: string, message: string) => errors.push(csvProblem(line, column, message));
  const given = (column: string) => (cells[column] ? cells[column] : undefined);
  const slug = cells.product ?? '';
  if (!slugPattern.test(slug) || slug.length > 120) {
    bad('product', 'is not a product slug such as linen-shirt');
  }
  const sku = cells.sku ?? '';
  if (!skuPattern.test(sku) || sku.length > 64) bad('sku', 'is not a SKU such as LGT-05-SND');
  else if (seen.has(sku)) bad('sku', `repeats line ${seen.get(sku)}`);
  else seen.set(sku, line);

  const product: ProductCells = {};
  const name = given('name');
  if (name !== undefined) {
    if (name.length > 200) bad('name', 'is longer than 200 characters');
    product.name = name;
  }
  const description = given('description');
  if (description !== undefined) {
    if (description.length > 5000) bad('description', 'is longer than 5000 characters');
    product.description = description;
  }
  const category = given('category');
  if (category !== undefined) {
    if (!slugPattern.test(category)) bad('category', 'is not a category slug such as lighting');
    product.category = category;
  }
  const status = given('status');
  if (status !== undefined) {
    if (!statuses.includes(status as ProductStatus))
      bad('status', `is not one of ${statuses.join(', ')}`);
    product.status = status as ProductStatus;
  }
  const images = given('images')?.split(/\s+/);
  if (images !== undefined) {
    if (images.length > maxProductImages) {
      bad('images', `lists more than ${maxProductImages} images`);
    }
    if (images.some((image) => !imagePattern.test(image) || image.length > 500)) {
      bad('images', 'are not addresses starting https:// or /, separated by spaces');
    }
    product.images = images;
  }

  let options: Record<string, string> | undefined;
  if (columns.includes('options')) {
    const pairs = (cells.options ?? '')
      .split(';')
      .map((pair) => pair.trim())
      .filter(Boolean)
      .map((pair) => pair.split(':').map((part) => part.trim()));
    if (
      pairs.some(([key, value, ...rest]) => !key || !value || rest.length > 0) ||
      pairs.length > 6 ||
      pairs.some(([key = '', value = '']) => key.length > 40 || value.length > 80)
    ) {
      bad('options', 'are not up to 6 pairs such as "Colour: Sand; Size: M"');
    }
    options = Object.fromEntries(pairs);
  }

  const prices: Money[] = [];
  for (const { column, code } of currencies) {
    const cell = given(column);
    if (cell === undefined) continue;
    const amount = /^\d+$/.test(cell) ? Number(cell) : Number.NaN;
    if (!(amount >= 1 && amount <= maxAmount)) {
      bad(
        column,
        /^\d+\.\d+$/.test(cell)
          ? `is in minor units: ${cell} ${code} is written ${Math.round(Number(cell) * 10 ** currencyDigits(code))}`
          : `is not a whole number of minor units from 1 to ${maxAmount}`,
      );
    } else prices.push({ amount, currency: code });
  }
  return { line, slug, sku, ...(options !== undefined && { options }), prices, product };
}
