import { ProductDetail, ProductListing } from '@bazaar/contracts/shop-api';
import type { Queryable } from '@bazaar/db/pool';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { Type } from 'typebox';
import { CatalogError } from '../domain/errors.js';
import { listProducts } from '../domain/list-products.js';
import { inCurrency } from '../domain/product.js';
import type { ReadCache } from '../domain/read-cache.js';
import { regionOf } from '../domain/regions.js';
import type { ShopRegions } from '../domain/shop-regions.js';
import { selectProductDetail } from '../store/product-store.js';
import { sendCached, toCachedResponse } from './cached-response.js';
import { ListQuery, RegionParam } from './product-schemas.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function productRoutes(
  app: ServiceApp,
  deps: { db: Queryable; cache: ReadCache; regions: ShopRegions },
): void {
  app.get(
    '/api/products',
    {
      schema: {
        summary: 'Search and browse active products, with category facets',
        tags: ['products'],
        querystring: ListQuery,
        response: {
          200: ProductListing,
        },
      },
    },
    async (request, reply) => {
      const key = JSON.stringify(
        Object.entries(request.query).sort(([a], [b]) => (a < b ? -1 : 1)),
      );
      const listing = await deps.cache.remember(`list:${key}`, async () =>
        toCachedResponse(reply, await listProducts(deps.db, deps.regions, request.query)),
      );
      return sendCached(reply, listing);
    },
  );

  app.get(
    '/api/products/:idOrSlug',
    {
      schema: {
        summary: 'One active product with its variants, by id or slug',
        tags: ['products'],
        params: Type.Object({
          idOrSlug: Type.String({
            pattern: '^[A-Za-z0-9-]{1,200}$',
            description: 'an id or a slug',
          }),
        }),
        querystring: Type.Object({ region: RegionParam }, { additionalProperties: false }),
        response: { 200: ProductDetail },
      },
    },
    async (request, reply) => {
      const { idOrSlug } = request.params;
      const { region: regionId } = request.query;
      // Only an active product is cached; drafts and archived ones are a 404 like unknown ones, and
      // so is one not sold in the region.
      const product = await deps.cache.remember(
        `product:${idOrSlug}:${regionId ?? ''}`,
        async () => {
          const region = regionOf(await deps.regions.all(), regionId);
          const found = await selectProductDetail(
            deps.db,
            uuidPattern.test(idOrSlug) ? { id: idOrSlug.toLowerCase() } : { slug: idOrSlug },
          );
          const sold = found?.status === 'active' && inCurrency(found, region.currency);
          return sold ? toCachedResponse(reply, sold) : undefined;
        },
      );
      if (!product) throw new CatalogError('not_found', `There is no product ${idOrSlug}`);
      return sendCached(reply, product);
    },
  );
}
