import type { Queryable } from '@bazaar/db/pool';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { requireRole, type TokenVerifier } from '@bazaar/service-kit/auth';
import { Type } from 'typebox';
import { selectPrices } from '../store/price-store.js';
import { Money } from './product-schemas.js';

const Sku = Type.String({ pattern: '^[A-Z0-9]+(-[A-Z0-9]+)*$', maxLength: 64 });

/** Prices for cart and orders: read at every use, so a client's price is never trusted. */
export function priceRoutes(
  app: ServiceApp,
  deps: { db: Queryable; verifyService: TokenVerifier },
): void {
  app.post(
    '/internal/prices',
    {
      preHandler: requireRole(deps.verifyService, 'service'),
      schema: {
        summary: 'Current price, name and on-sale flag of each SKU; unknown SKUs are left out',
        tags: ['internal'],
        body: Type.Object(
          { skus: Type.Array(Sku, { minItems: 1, maxItems: 200, uniqueItems: true }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                sku: Type.String(),
                productId: Type.String({ format: 'uuid' }),
                slug: Type.String(),
                name: Type.String(),
                image: Type.Union([Type.String(), Type.Null()]),
                price: Money,
                active: Type.Boolean(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ items: await selectPrices(deps.db, request.body.skus) }),
  );
}
