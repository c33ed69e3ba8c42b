import { randomUUID } from 'node:crypto';
import { type Pool, type Queryable, withTransaction } from '@bazaar/db/pool';
import { addToOutbox } from '@bazaar/events/outbox';
import { selectProductDetail } from '../store/product-store.js';
import {
  replaceVariants,
  saveProductRows,
  selectCategoryId,
  setProductStatus,
} from '../store/product-write-store.js';
import { selectRegions } from '../store/region-store.js';
import { CatalogError } from './errors.js';
import { inCurrency, legacyPrice, type ProductDetail, type StoredProduct } from './product.js';
import { assertValidVariants, type ProductInput, productUpdated } from './product-changes.js';
import type { ReadCache } from './read-cache.js';

export type WriteDeps = { db: Pool; cache: ReadCache };

/** Adds a product with its variants and announces it. */
export async function createProduct(
  { db, cache }: WriteDeps,
  input: ProductInput,
): Promise<ProductDetail> {
  return afterCommit(
    cache,
    withTransaction(db, async (trx) => {
      assertValidVariants(input.variants, await regionCurrencies(trx));
      const id = randomUUID();
      await saveProductRows(trx, [
        {
          id,
          product: { ...input, categoryId: await categoryIdOf(trx, input.category) },
          variants: input.variants,
        },
      ]);
      await replaceVariants(trx, id, input.variants);
      return adminView(trx, await announce(trx, undefined, id));
    }),
  );
}

/** Changes a product; the fields sent replace the stored ones (`variants` replaces the whole set). */
export async function updateProduct(
  { db, cache }: WriteDeps,
  id: string,
  patch: Partial<ProductInput>,
): Promise<ProductDetail> {
  return afterCommit(
    cache,
    withTransaction(db, async (trx) => {
      const before = await existingProduct(trx, id);
      const merged: ProductInput = {
        slug: before.slug,
        name: before.name,
        description: before.description,
        category: before.category.slug,
        status: before.status,
        images: before.images,
        variants: before.variants,
        ...patch,
      };
      if (patch.variants) assertValidVariants(merged.variants, await regionCurrencies(trx));
      await saveProductRows(trx, [
        {
          id,
          product: { ...merged, categoryId: await categoryIdOf(trx, merged.category) },
          variants: merged.variants,
        },
      ]);
      if (patch.variants) await replaceVariants(trx, id, patch.variants);
      return adminView(trx, await announce(trx, before, id));
    }),
  );
}

/** Takes a product off sale; it stays on record because orders refer to its SKUs. */
export async function archiveProduct({ db, cache }: WriteDeps, id: string): Promise<void> {
  await afterCommit(
    cache,
    withTransaction(db, async (trx) => {
      const before = await existingProduct(trx, id);
      await setProductStatus(trx, id, 'archived');
      await announce(trx, before, id);
    }),
  );
}

/** Invalidates cached reads once the change is committed, never before: no stale page can be cached after it. */
async function afterCommit<T>(cache: ReadCache, committed: Promise<T>): Promise<T> {
  const result = await committed;
  await cache.invalidate();
  return result;
}

/**
 * What an admin is shown of a product: its prices in the currency of the shop's first region,
 * beside its price lists.
 */
export async function adminView(db: Queryable, product: StoredProduct): Promise<ProductDetail> {
  const [first] = await selectRegions(db);
  const detail = first && inCurrency(product, first.currency);
  if (detail) return detail;
  // Priced before the first region's currency was sold in: shown in a currency it has.
  return inCurrency(
    product,
    legacyPrice(product.variants[0]?.prices ?? []).currency,
  ) as ProductDetail;
}

async function announce(trx: Queryable, before: StoredProduct | undefined, id: string) {
  const after = await existingProduct(trx, id);
  await addToOutbox(trx, productUpdated(before, after));
  return after;
}

async function existingProduct(trx: Queryable, id: string): Promise<StoredProduct> {
  const product = await selectProductDetail(trx, { id });
  if (!product) throw new CatalogError('not_found', `There is no product ${id}`);
  return product;
}

async function regionCurrencies(trx: Queryable): Promise<string[]> {
  return [...new Set((await selectRegions(trx)).map((region) => region.currency))];
}

async function categoryIdOf(trx: Queryable, slug: string): Promise<string> {
  const id = await selectCategoryId(trx, slug);
  if (id) return id;
  throw new CatalogError('unknown_category', `There is no category ${slug}`, {
    errors: [{ field: 'category', in: 'body', message: 'is not a category of this shop' }],
  });
}
