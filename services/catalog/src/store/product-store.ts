import type { Money } from '@bazaar/contracts/money';
import type { Queryable } from '@bazaar/db/pool';
import { legacyPrice, type StoredProduct } from '../domain/product.js';
import { writePriceLists } from './price-list-store.js';
import { upsertVariants } from './product-write-store.js';

/** What `insertCategories` and `insertProducts` write (the seed's catalog). */
export type NewCategory = { id: string; slug: string; name: string; parentId: string | null };
export type NewVariant = { sku: string; options: Record<string, string>; prices: Money[] };
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
  status: StoredProduct['status'];
  images: string[];
  category_slug: string;
  category_name: string;
  updated_at: Date;
  variants: Array<{
    sku: string;
    options: Record<string, string>;
    prices: Money[];
    in_stock: boolean;
  }>;
};

function toStoredProduct(row: ProductDetailRow): StoredProduct {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    status: row.status,
    category: { slug: row.category_slug, name: row.category_name },
    images: row.images,
    variants: row.variants.map((variant) => ({
      sku: variant.sku,
      options: variant.options,
      prices: variant.prices,
      inStock: variant.in_stock,
    })),
    inStock: row.variants.some((variant) => variant.in_stock),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A product with its variants and their price lists, found by id or by slug. */
export async function selectProductDetail(
  db: Queryable,
  by: { id: string } | { slug: string },
): Promise<StoredProduct | undefined> {
  const [product] = await selectProductDetails(
    db,
    'id' in by ? { ids: [by.id] } : { slugs: [by.slug] },
  );
  return product;
}

/** Products with their variants and price lists, by ids, by slugs or all of them; in slug order. */
export async function selectProductDetails(
  db: Queryable,
  by: { ids: readonly string[] } | { slugs: readonly string[] } | 'all',
): Promise<StoredProduct[]> {
  const { rows } = await db.query<ProductDetailRow>(
    `SELECT p.id, p.slug, p.name, p.description, p.status, p.images,
            p.updated_at, c.slug AS category_slug, c.name AS category_name,
            (SELECT coalesce(jsonb_agg(jsonb_build_object(
                      'sku', v.sku, 'options', v.options, 'in_stock', coalesce(a.in_stock, false),
                      'prices', (SELECT jsonb_agg(jsonb_build_object('amount', vp.amount,
                                                   'currency', vp.currency) ORDER BY vp.currency)
                                   FROM variant_prices vp WHERE vp.sku = v.sku))
                      ORDER BY v.position, v.sku), '[]')
               FROM variants v LEFT JOIN sku_availability a ON a.sku = v.sku
              WHERE v.product_id = p.id) AS variants
       FROM products p JOIN categories c ON c.id = p.category_id
      WHERE ${by === 'all' ? 'true' : 'ids' in by ? 'p.id = ANY($1)' : 'p.slug = ANY($1)'}
      ORDER BY p.slug`,
    by === 'all' ? [] : ['ids' in by ? by.ids : by.slugs],
  );
  return rows.map(toStoredProduct);
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
        Math.min(...product.variants.map((variant) => legacyPrice(variant.prices).amount)),
      ),
      products.map((product) => legacyPrice(product.variants[0]?.prices ?? []).currency),
      products.map((product) => product.createdAt),
    ],
  );
  const variants = products.flatMap((product) =>
    product.variants.map((variant, position) => ({ ...variant, productId: product.id, position })),
  );
  await upsertVariants(db, variants);
  await writePriceLists(
    db,
    products.map((product) => product.id),
    variants,
  );
}

/** Whether any product shows the image at `path`. */
export async function showsImage(db: Queryable, path: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM products WHERE $1 = ANY (images) LIMIT 1', [path]);
  return rows.length > 0;
}

/** Every product on sale, by slug, with when it last changed: what the sitemap lists. */
export async function selectActiveProductSlugs(
  db: Queryable,
): Promise<Array<{ slug: string; updatedAt: string }>> {
  const { rows } = await db.query<{ slug: string; updated_at: Date }>(
    "SELECT slug, updated_at FROM products WHERE status = 'active' ORDER BY slug LIMIT 50000",
  );
  return rows.map((row) => ({ slug: row.slug, updatedAt: row.updated_at.toISOString() }));
}
