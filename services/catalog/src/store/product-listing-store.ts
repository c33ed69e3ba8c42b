import type { Queryable } from '@bazaar/db/pool';
import { SqlParams } from '@bazaar/db/sql-params';
import { type KeysetPosition, keysetTimestamp } from '@bazaar/service-kit/keyset-cursor';
import type { ListingFilters, ProductSort, ProductSummary } from '../domain/product.js';

type ProductSummaryRow = {
  id: string;
  slug: string;
  name: string;
  description: string;
  status: ProductSummary['status'];
  images: string[];
  category_slug: string;
  category_name: string;
  price_from: number;
  currency: string;
  variant_count: number;
  in_stock: boolean;
  sort_key: string;
};

/** How each sort orders rows: the key expression, its direction, and how a cursor key is cast. */
const orderings: Record<ProductSort, { key: string; direction: 'ASC' | 'DESC'; cast: string }> = {
  newest: { key: 'p.created_at', direction: 'DESC', cast: 'timestamptz' },
  price_asc: { key: 'pp.price_from', direction: 'ASC', cast: 'integer' },
  price_desc: { key: 'pp.price_from', direction: 'DESC', cast: 'integer' },
  relevance: { key: 'ts_rank(p.search, query.q)', direction: 'DESC', cast: 'real' },
};

/** Whether a variant of product `p` is in stock, by catalog's copy of inventory's announcements. */
const productInStock = `EXISTS (SELECT 1 FROM variants v
  JOIN sku_availability a ON a.sku = v.sku AND a.in_stock WHERE v.product_id = p.id)`;

/** The product's lowest price in the listing's currency: products without one are not sold in it. */
const pricedIn = (currency: string) =>
  `JOIN product_prices pp ON pp.product_id = p.id AND pp.currency = ${currency}`;

/** The filters shared by the page and its facets; facets leave the category out. */
function filterConditions(
  filters: ListingFilters,
  params: SqlParams,
  options: { withCategory: boolean },
): string[] {
  // The public default is a literal, so the planner can use the partial indexes on active products.
  const conditions =
    filters.status === undefined
      ? ["p.status = 'active'"]
      : filters.status === 'any'
        ? []
        : [`p.status = ${params.add(filters.status)}`];
  if (filters.searchQuery !== undefined) {
    conditions.push(`p.search @@ to_tsquery('english', ${params.add(filters.searchQuery)})`);
  }
  if (options.withCategory && filters.category !== undefined) {
    conditions.push(`p.category_id IN (
      WITH RECURSIVE subtree AS (
        SELECT id FROM categories WHERE slug = ${params.add(filters.category)}
        UNION ALL SELECT c.id FROM categories c JOIN subtree s ON c.parent_id = s.id)
      SELECT id FROM subtree)`);
  }
  if (filters.minPrice !== undefined)
    conditions.push(`pp.price_from >= ${params.add(filters.minPrice)}`);
  if (filters.maxPrice !== undefined)
    conditions.push(`pp.price_from <= ${params.add(filters.maxPrice)}`);
  if (filters.inStock !== undefined)
    conditions.push(`${filters.inStock ? '' : 'NOT '}${productInStock}`);
  return conditions;
}

export type PageRequest = {
  filters: ListingFilters;
  sort: ProductSort;
  after: KeysetPosition | undefined;
  /** Rows passed over before the page: numbered pages; 0 with a keyset position. */
  skip: number;
  limit: number;
};

/**
 * One page of active products in `sort` order, strictly after `after` or `skip` rows in; `limit`
 * rows at most.
 */
export async function selectProductPage(
  db: Queryable,
  page: PageRequest,
): Promise<Array<{ item: ProductSummary; position: KeysetPosition }>> {
  const { text, values } = productPageQuery(page);
  const { rows } = await db.query<ProductSummaryRow>(text, values);
  return rows.map((row) => ({
    item: toProductSummary(row),
    position: { key: row.sort_key, id: row.id },
  }));
}

/** The SQL of a page, apart so that a test can EXPLAIN exactly what runs. */
export function productPageQuery(page: PageRequest): { text: string; values: unknown[] } {
  const ordering = orderings[page.sort];
  const params = new SqlParams();
  const searchQuery = params.add(page.filters.searchQuery ?? '');
  const currency = params.add(page.filters.currency);
  const conditions = filterConditions(page.filters, params, { withCategory: true });
  if (page.after) {
    const comparison = ordering.direction === 'DESC' ? '<' : '>';
    conditions.push(
      `(${ordering.key}, p.id) ${comparison} (${params.add(page.after.key)}::${ordering.cast}, ${params.add(page.after.id)}::uuid)`,
    );
  }
  const sortKey =
    ordering.cast === 'timestamptz' ? keysetTimestamp(ordering.key) : `(${ordering.key})::text`;
  const text = `SELECT p.id, p.slug, p.name, p.description, p.status, p.images, pp.price_from, pp.currency,
            c.slug AS category_slug, c.name AS category_name,
            (SELECT count(*)::int FROM variants v WHERE v.product_id = p.id) AS variant_count,
            ${productInStock} AS in_stock,
            ${sortKey} AS sort_key
       FROM products p
       ${pricedIn(currency)}
       JOIN categories c ON c.id = p.category_id
       CROSS JOIN (SELECT to_tsquery('english', ${searchQuery}) AS q) query
      WHERE ${conditions.join(' AND ') || 'true'}
      ORDER BY ${ordering.key} ${ordering.direction}, p.id ${ordering.direction}
      LIMIT ${params.add(page.limit)}${page.skip > 0 ? ` OFFSET ${params.add(page.skip)}` : ''}`;
  return { text, values: params.values };
}

/** How many matching products each category holds directly, ignoring the category filter. */
export async function selectCategoryCounts(
  db: Queryable,
  filters: ListingFilters,
): Promise<Map<string, number>> {
  const params = new SqlParams();
  const currency = params.add(filters.currency);
  const conditions = filterConditions(filters, params, { withCategory: false });
  const text = `SELECT p.category_id, count(*)::int AS count FROM products p ${pricedIn(currency)}
      WHERE ${conditions.join(' AND ') || 'true'} GROUP BY p.category_id`;
  const { rows } = await db.query<{ category_id: string; count: number }>(text, params.values);
  return new Map(rows.map((row) => [row.category_id, row.count]));
}

function toProductSummary(row: ProductSummaryRow): ProductSummary {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    status: row.status,
    category: { slug: row.category_slug, name: row.category_name },
    images: row.images,
    price: { amount: row.price_from, currency: row.currency },
    variantCount: row.variant_count,
    inStock: row.in_stock,
  };
}
