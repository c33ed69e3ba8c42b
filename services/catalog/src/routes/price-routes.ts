import { PricesResponse, Sku } from '@bazaar/contracts/internal-api';
import type { Queryable } from '@bazaar/db/pool';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { requireRole, type TokenVerifier } from '@bazaar/service-kit/auth';
import { Type } from 'typebox';
import { selectPrices } from '../store/price-store.js';

/** Prices for cart and orders: read at every use, so a client's price is never trusted. */
export function priceRoutes(
  app: ServiceApp,
  deps: { db: Queryable; verifyService: TokenVerifier },
): void {
  app.post(
    '/internal/prices',
    {
      onRequest: requireRole(deps.verifyService, 'service'),
      schema: {
        summary: 'Current price, name and on-sale flag of each SKU; unknown SKUs are left out',
        tags: ['internal'],
        body: Type.Object(
          { skus: Type.Array(Sku, { minItems: 1, maxItems: 200, uniqueItems: true }) },
          { additionalProperties: false },
        ),
        response: { 200: PricesResponse },
      },
    },
    async (request) => ({ items: await selectPrices(deps.db, request.body.skus) }),
  );
}
