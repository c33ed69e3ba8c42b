import type { Queryable } from '@bazaar/db/pool';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { Type } from 'typebox';
import { listProducts } from '../domain/list-products.js';

const Money = Type.Object({
  amount: Type.Integer({ description: 'minor units, e.g. cents' }),
  currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' }),
});

const ProductSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  category: Type.Object({ slug: Type.String(), name: Type.String() }),
  images: Type.Array(Type.String()),
  price: Money,
  variantCount: Type.Integer(),
});

const ListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 24 }),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

export function productRoutes(app: ServiceApp, deps: { db: Queryable }): void {
  app.get(
    '/api/products',
    {
      schema: {
        summary: 'List active products, newest first',
        tags: ['products'],
        querystring: ListQuery,
        response: {
          200: Type.Object({
            items: Type.Array(ProductSummary),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (request) => listProducts(deps.db, request.query),
  );
}
