import type { Queryable } from '@bazaar/db/pool';
import type { ProductDetail, Variant } from '../domain/product.js';

/** What `insertCategories` and `insertProducts` write (the seed's catalog). */
export type NewCategory = { id: string; slug: string; name: string; parentId: string | null };
export type NewVariant = {
  sku: string;
  options: Record<string, string>;
  priceAmount: number;
  currency: string;
};
export type NewProduct = {
  id: string;
  slug: string;
  name: string;
  description: string;
  categoryId: string;
  images: string[];
  createdAt: Date;
  variants: NewVariant[];
};

type ProductDetailRow = {
  id: string;
  slug: string;
  name: string;
  description: string;
  status: ProductDetail['status'];
  images: string[];
  price_from: number;
  currency: string;
  category_slug: string;
  category_name: string;
  updated_at: Date;
  variants: Array<{
    sku: string;
    options: Record<string, string>;
    price_amount: number;
    currency: string;
    in_stock: boolean;
  }>;
};

function toProductDetail(row: ProductDetailRow): ProductDetail {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    status: row.status,
    category: { slug: row.category_slug, name: row.category_name },
    images: row.images,
    price: { amount: row.price_from, currency: row.currency },
    variants: row.variants.map(
      (variant): Variant => ({
        sku: variant.sku,
        options: variant.options,
        price: { amount: variant.price_amount, currency: variant.currency },
        inStock: variant.in_stock,
      }),
    ),
    inStock: row.variants.some((variant) => variant.in_stock),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A product with its variants, found by id or by slug. */
export async function selectProductDetail(
  db: Queryable,
  by: { id: string } | { slug: string },
): Promise<ProductDetail | undefined> {
  const { rows } = await db.query<ProductDetailRow>(
    `SELECT p.id, p.slug, p.name, p.description, p.status, p.images, p.price_from, p.currency,
            p.updated_at, c.slug AS category_slug, c.name AS category_name,
            (SELECT coalesce(jsonb_agg(jsonb_build_object(
                      'sku', v.sku, 'options', v.options, 'price_amount', v.price_amount,
                      'currency', v.currency, 'in_stock', coalesce(a.in_stock, false))
                      ORDER BY v.position, v.sku), '[]')
               FROM variants v LEFT JOIN sku_availability a ON a.sku = v.sku
              WHERE v.product_id = p.id) AS variants
       FROM products p JOIN categories c ON c.id = p.category_id
      WHERE ${'id' in by ? 'p.id = $1' : 'p.slug = $1'}`,
    ['id' in by ? by.id : by.slug],
  );
  return rows[0] && toProductDetail(rows[0]);
}

export async function insertCategories(db: Queryable, categories: NewCategory[]): Promise<void> {
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

export async function insertProducts(db: Queryable, products: NewProduct[]): Promise<void> {
  await db.query(
    `INSERT INTO products (id, slug, name, description, category_id, status, images,
                          price_from, currency, created_at, updated_at)
     SELECT id, slug, name, description, category_id, 'active',
            ARRAY(SELECT jsonb_array_elements_text(images)), price_from, currency, created_at, created_at
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::jsonb[],
                   $7::int[], $8::text[], $9::timestamptz[])
         AS p (id, slug, name, description, category_id, images, price_from, currency, created_at)`,
    [
      products.map((product) => product.id),
      products.map((product) => product.slug),
      products.map((product) => product.name),
      products.map((product) => product.description),
      products.map((product) => product.categoryId),
      products.map((product) => JSON.stringify(product.images)),
      products.map((product) =>
        Math.min(...product.variants.map((variant) => variant.priceAmount)),
      ),
      products.map((product) => product.variants[0]?.currency),
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
