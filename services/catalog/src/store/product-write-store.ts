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

/** Writes a product's own row, new or existing; its legacy price fields follow from `variants`. */
export async function saveProductRow(
  db: Queryable,
  id: string,
  product: ProductRow,
  variants: VariantInput[],
) {
  await db
    .query(
      `INSERT INTO products (id, slug, name, description, category_id, status, images, price_from, currency)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (id) DO UPDATE SET
         slug = excluded.slug, name = excluded.name, description = excluded.description,
         category_id = excluded.category_id, status = excluded.status, images = excluded.images,
         price_from = excluded.price_from, currency = excluded.currency, updated_at = now()`,
      [
        id,
        product.slug,
        product.name,
        product.description,
        product.categoryId,
        product.status,
        product.images,
        Math.min(...variants.map((variant) => legacyPrice(variant.prices).amount)),
        legacyPrice(variants[0]?.prices ?? []).currency,
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
  const { rows } = await db.query<{ sku: string }>(
    `INSERT INTO variants (sku, product_id, options, price_amount, currency, position)
     SELECT sku, $1, options, price_amount, currency, position
       FROM unnest($2::text[], $3::jsonb[], $4::int[], $5::text[], $6::int[])
         AS v (sku, options, price_amount, currency, position)
     ON CONFLICT (sku) DO UPDATE SET
       options = excluded.options, price_amount = excluded.price_amount,
       currency = excluded.currency, position = excluded.position
       WHERE variants.product_id = excluded.product_id
     RETURNING sku`,
    [
      productId,
      variants.map((variant) => variant.sku),
      variants.map((variant) => JSON.stringify(variant.options)),
      variants.map((variant) => legacyPrice(variant.prices).amount),
      variants.map((variant) => legacyPrice(variant.prices).currency),
      variants.map((_, position) => position),
    ],
  );
  const written = new Set(rows.map((row) => row.sku));
  const taken = variants.flatMap((variant, index) =>
    written.has(variant.sku) ? [] : [{ variant, index }],
  );
  if (taken.length > 0) {
    throw new CatalogError(
      'sku_taken',
      `SKU ${taken.map(({ variant }) => variant.sku).join(', ')} belongs to another product`,
      {
        errors: taken.map(({ index }) => ({
          field: `variants.${index}.sku`,
          in: 'body',
          message: 'belongs to another product',
        })),
      },
    );
  }
  await writePriceLists(db, [productId], variants);
}

function rethrowTakenSlug(error: unknown): never {
  if ((error as { constraint?: string }).constraint === 'products_slug_key') {
    throw new CatalogError('slug_taken', 'Another product has this slug', {
      errors: [{ field: 'slug', in: 'body', message: 'is taken by another product' }],
    });
  }
  throw error;
}
