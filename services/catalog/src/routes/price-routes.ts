import { PricesResponse, Quote, QuoteRequest, Sku } from '@bazaar/contracts/internal-api';
import type { Queryable } from '@bazaar/db/pool';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { requireRole, type TokenVerifier } from '@bazaar/service-kit/auth';
import { Type } from 'typebox';
import { quote } from '../domain/quote.js';
import { regionOf } from '../domain/regions.js';
import type { ShopRegions } from '../domain/shop-regions.js';
import { selectPrices } from '../store/price-store.js';
import { RegionParam } from './product-schemas.js';

/** Prices for cart and orders: read at every use, so a client's price is never trusted. */
export function priceRoutes(
  app: ServiceApp,
  deps: { db: Queryable; regions: ShopRegions; verifyService: TokenVerifier },
): void {
  const serviceOnly = requireRole(deps.verifyService, 'service');

  app.post(
    '/internal/prices',
    {
      onRequest: serviceOnly,
      schema: {
        summary:
          "Current price in a region's currency, name and on-sale flag of each SKU; unknown SKUs, and those without a price in the currency, are left out",
        tags: ['internal'],
        body: Type.Object(
          {
            skus: Type.Array(Sku, { minItems: 1, maxItems: 200, uniqueItems: true }),
            region: RegionParam,
          },
          { additionalProperties: false },
        ),
        response: { 200: PricesResponse },
      },
    },
    async (request) => {
      const region = regionOf(await deps.regions.all(), request.body.region, {
        field: 'region',
        in: 'body',
      });
      return { items: await selectPrices(deps.db, request.body.skus, region.currency) };
    },
  );

  app.post(
    '/internal/quotes',
    {
      onRequest: serviceOnly,
      schema: {
        summary:
          'What lines cost in a region, shipped and taxed: lines, subtotal, shipping, tax, total',
        tags: ['internal'],
        body: QuoteRequest,
        response: { 200: Quote },
      },
    },
    async (request) => quote(deps.db, deps.regions, request.body),
  );
}
