import type { Queryable } from '@bazaar/db/pool';
import { CatalogError } from '../domain/errors.js';
import { legacyPrice } from '../domain/product.js';
import type { ProductInput, VariantInput } from '../domain/product-changes.js';
import { writePriceLists } from './price-list-store.js';

export async function selectCategoryId(db: Queryable, slug: string): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM categories WHERE slug = $1', [
    slug,
  ]);
  return rows[0]?.id;
}

type ProductRow = Omit<ProductInput, 'category' | 'variants'> & { categoryId: string };

/**
 * Writes products' own rows, new or existing, in one statement; each one's legacy price fields
 * follow from its `variants`.
 */
export async function saveProductRows(
  db: Queryable,
  products: ReadonlyArray<{ id: string; product: ProductRow; variants: readonly VariantInput[] }>,
) {
  await db
    .query(
      `INSERT INTO products (id, slug, name, description, category_id, status, images, price_from, currency)
       SELECT id, slug, name, description, category_id, status,
              ARRAY(SELECT jsonb_array_elements_text(images)), price_from, currency
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[],
                     $7::jsonb[], $8::int[], $9::text[])
           AS p (id, slug, name, description, category_id, status, images, price_from, currency)
       ON CONFLICT (id) DO UPDATE SET
         slug = excluded.slug, name = excluded.name, description = excluded.description,
         category_id = excluded.category_id, status = excluded.status, images = excluded.images,
         price_from = excluded.price_from, currency = excluded.currency, updated_at = now()`,
      [
        products.map(({ id }) => id),
        products.map(({ product }) => product.slug),
        products.map(({ product }) => product.name),
        products.map(({ product }) => product.description),
        products.map(({ product }) => product.categoryId),
        products.map(({ product }) => product.status),
        products.map(({ product }) => JSON.stringify(product.images)),
        products.map(({ variants }) =>
          Math.min(...variants.map((variant) => legacyPrice(variant.prices).amount)),
        ),
        products.map(({ variants }) => legacyPrice(variants[0]?.prices ?? []).currency),
      ],
    )
    .catch(rethrowTakenSlug);
}

export async function setProductStatus(db: Queryable, id: string, status: ProductInput['status']) {
  await db.query('UPDATE products SET status = $2, updated_at = now() WHERE id = $1', [id, status]);
}

/**
 * Makes the product's variants exactly `variants`, with their price lists: others are deleted,
 * these inserted or updated. A SKU that belongs to another product is refused (409 naming it).
 */
export async function replaceVariants(db: Queryable, productId: string, variants: VariantInput[]) {
  await db.query('DELETE FROM variants WHERE product_id = $1 AND NOT (sku = ANY($2))', [
    productId,
    variants.map((variant) => variant.sku),
  ]);
  const taken = await upsertVariants(
    db,
    variants.map((variant, position) => ({ ...variant, productId, position })),
  );
  if (taken.length > 0) {
    throw new CatalogError(
      'sku_taken',
      `SKU ${taken.map(({ sku }) => sku).join(', ')} belongs to another product`,
      {
        errors: taken.map(({ position }) => ({
          field: `variants.${position}.sku`,
          in: 'body',
          message: 'belongs to another product',
        })),
      },
    );
  }
  await writePriceLists(db, [productId], variants);
}

type PlacedVariant = VariantInput & { productId: string; position: number };

/**
 * Inserts or updates variants in one statement (their price lists are `writePriceLists`'s); the
 * ones whose SKU belongs to another product are left alone and returned.
 */
export async function upsertVariants(
  db: Queryable,
  variants: readonly PlacedVariant[],
): Promise<PlacedVariant[]> {
  const { rows } = await db.query<{ sku: string }>(
    `INSERT INTO variants (sku, product_id, options, price_amount, currency, position)
     SELECT * FROM unnest($1::text[], $2::uuid[], $3::jsonb[], $4::int[], $5::text[], $6::int[])
     ON CONFLICT (sku) DO UPDATE SET
       options = excluded.options, price_amount = excluded.price_amount,
       currency = excluded.currency, position = excluded.position
       WHERE variants.product_id = excluded.product_id
     RETURNING sku`,
    [
      variants.map((variant) => variant.sku),
      variants.map((variant) => variant.productId),
      variants.map((variant) => JSON.stringify(variant.options)),
      variants.map((variant) => legacyPrice(variant.prices).amount),
      variants.map((variant) => legacyPrice(variant.prices).currency),
      variants.map((variant) => variant.position),
    ],
  );
  const written = new Set(rows.map((row) => row.sku));
  return variants.filter((variant) => !written.has(variant.sku));
}

/** The slug of the product each of `skus` belongs to, where one does. */
export async function selectSkuOwners(
  db: Queryable,
  skus: readonly string[],
): Promise<Map<string, string>> {
  const { rows } = await db.query<{ sku: string; slug: string }>(
    `SELECT v.sku, p.slug FROM variants v JOIN products p ON p.id = v.product_id
      WHERE v.sku = ANY($1)`,
    [skus],
  );
  return new Map(rows.map((row) => [row.sku, row.slug]));
}

function rethrowTakenSlug(error: unknown): never {
  if ((error as { constraint?: string }).constraint === 'products_slug_key') {
    throw new CatalogError('slug_taken', 'Another product has this slug', {
      errors: [{ field: 'slug', in: 'body', message: 'is taken by another product' }],
    });
  }
  throw error;
}
