import type { Queryable } from '@bazaar/db/pool';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { DomainError } from '@bazaar/service-kit/errors';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { listProducts } from '../domain/list-products.js';
import { productSorts } from '../domain/product.js';
import type { ReadCache } from '../domain/read-cache.js';
import { selectProductDetail } from '../store/product-store.js';
import { ProductDetail, ProductSummary } from './product-schemas.js';

const ListQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({ maxLength: 100, description: 'search text; words match as prefixes' }),
    ),
    category: Type.Optional(
      Type.String({
        pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
        maxLength: 64,
        description: 'a category slug; includes its sub-categories',
      }),
    ),
    minPrice: Type.Optional(Type.Integer({ minimum: 0, description: 'minor units' })),
    maxPrice: Type.Optional(Type.Integer({ minimum: 0, description: 'minor units' })),
    inStock: Type.Optional(
      Type.Boolean({
        description: 'true: only products that can be bought now; false: only sold-out ones',
      }),
    ),
    sort: Type.Optional(
      Type.Enum([...productSorts], { description: 'default: relevance with q, else newest' }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 24 }),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  },
  { additionalProperties: false },
);

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Shared caches may keep a read for a minute; the ETag lets a client revalidate for free (304). */
function cacheable(reply: FastifyReply): void {
  reply.header('cache-control', 'public, max-age=60');
}

export function productRoutes(app: ServiceApp, deps: { db: Queryable; cache: ReadCache }): void {
  app.get(
    '/api/products',
    {
      schema: {
        summary: 'Search and browse active products, with category facets',
        tags: ['products'],
        querystring: ListQuery,
        response: {
          200: Type.Object({
            items: Type.Array(ProductSummary),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
            total: Type.Integer(),
            facets: Type.Object({
              categories: Type.Array(
                Type.Object({ slug: Type.String(), name: Type.String(), count: Type.Integer() }),
              ),
            }),
          }),
        },
      },
    },
    async (request, reply) => {
      cacheable(reply);
      const key = JSON.stringify(
        Object.entries(request.query).sort(([a], [b]) => (a < b ? -1 : 1)),
      );
      return deps.cache.remember(`list:${key}`, () => listProducts(deps.db, request.query));
    },
  );

  app.get(
    '/api/products/:idOrSlug',
    {
      schema: {
        summary: 'One active product with its variants, by id or slug',
        tags: ['products'],
        params: Type.Object({ idOrSlug: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: ProductDetail },
      },
    },
    async (request, reply) => {
      const { idOrSlug } = request.params;
      const product = await deps.cache.remember(`product:${idOrSlug}`, () =>
        selectProductDetail(
          deps.db,
          uuidPattern.test(idOrSlug) ? { id: idOrSlug.toLowerCase() } : { slug: idOrSlug },
        ),
      );
      if (product?.status !== 'active') {
        throw new DomainError('not_found', `There is no product ${idOrSlug}`);
      }
      cacheable(reply);
      return product;
    },
  );
}
