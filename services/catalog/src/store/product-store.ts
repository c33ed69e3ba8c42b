import type { Queryable } from '@bazaar/db/pool';
import { type KeysetPosition, keysetTimestamp } from '@bazaar/service-kit/keyset-cursor';
import type { ProductSummary } from '../domain/product.js';
import type { SeedCategory, SeedProduct } from '../seed/seed-catalog.js';

export type ProductSummaryRow = {
  id: string;
  slug: string;
  name: string;
  description: string;
  images: string[];
  category_slug: string;
  category_name: string;
  price_amount: number;
  currency: string;
  variant_count: number;
  /** `created_at` as UTC text to the microsecond: a JS Date would drop the microseconds. */
  created_at_key: string;
};

export function toListedProduct(row: ProductSummaryRow): {
  item: ProductSummary;
  position: KeysetPosition;
} {
  return {
    item: toProductSummary(row),
    position: { createdAt: row.created_at_key, id: row.id },
  };
}

function toProductSummary(row: ProductSummaryRow): ProductSummary {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    category: { slug: row.category_slug, name: row.category_name },
    images: row.images,
    price: { amount: row.price_amount, currency: row.currency },
    variantCount: row.variant_count,
  };
}

/** Active products, newest first, strictly after `after` in that order. */
export async function selectActiveProducts(
  db: Queryable,
  page: { after: KeysetPosition | undefined; limit: number },
): Promise<ProductSummaryRow[]> {
  const { rows } = await db.query<ProductSummaryRow>(
    `SELECT p.id, p.slug, p.name, p.description, p.images,
            c.slug AS category_slug, c.name AS category_name,
            v.price_amount, v.currency, v.variant_count,
            ${keysetTimestamp('p.created_at')} AS created_at_key
       FROM products p
       JOIN categories c ON c.id = p.category_id
       CROSS JOIN LATERAL (
         SELECT min(price_amount) AS price_amount, min(currency) AS currency,
                count(*)::int AS variant_count
           FROM variants WHERE product_id = p.id
       ) v
      WHERE p.status = 'active'
        AND ($1::timestamptz IS NULL OR (p.created_at, p.id) < ($1::timestamptz, $2::uuid))
      ORDER BY p.created_at DESC, p.id DESC
      LIMIT $3`,
    [page.after?.createdAt ?? null, page.after?.id ?? null, page.limit],
  );
  return rows;
}

export async function insertCategories(db: Queryable, categories: SeedCategory[]): Promise<void> {
  await db.query(
    `INSERT INTO categories (id, slug, name, parent_id, position)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::int[])`,
    [
      categories.map((category) => category.id),
      categories.map((category) => category.slug),
      categories.map((category) => category.name),
      categories.map((category) => category.parentId),
      categories.map((_, index) => index),
    ],
  );
}

export async function insertProducts(db: Queryable, products: SeedProduct[]): Promise<void> {
  await db.query(
    `INSERT INTO products (id, slug, name, description, category_id, status, images, created_at, updated_at)
     SELECT id, slug, name, description, category_id, 'active', ARRAY(SELECT jsonb_array_elements_text(images)), created_at, created_at
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::jsonb[], $7::timestamptz[])
         AS p (id, slug, name, description, category_id, images, created_at)`,
    [
      products.map((product) => product.id),
      products.map((product) => product.slug),
      products.map((product) => product.name),
      products.map((product) => product.description),
      products.map((product) => product.categoryId),
      products.map((product) => JSON.stringify(product.images)),
      products.map((product) => product.createdAt),
    ],
  );
  const variants = products.flatMap((product) =>
    product.variants.map((variant, position) => ({ ...variant, productId: product.id, position })),
  );
  await db.query(
    `INSERT INTO variants (sku, product_id, options, price_amount, currency, position)
     SELECT * FROM unnest($1::text[], $2::uuid[], $3::jsonb[], $4::int[], $5::text[], $6::int[])`,
    [
      variants.map((variant) => variant.sku),
      variants.map((variant) => variant.productId),
      variants.map((variant) => JSON.stringify(variant.options)),
      variants.map((variant) => variant.priceAmount),
      variants.map((variant) => variant.currency),
      variants.map((variant) => variant.position),
    ],
  );
}
