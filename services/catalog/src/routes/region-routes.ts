import { Region } from '@bazaar/contracts/shop-api';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { Type } from 'typebox';
import type { ShopRegions } from '../domain/shop-regions.js';

export function regionRoutes(app: ServiceApp, deps: { regions: ShopRegions }): void {
  app.get(
    '/api/regions',
    {
      schema: {
        summary:
          'Where the shop sells: each region with its currency, tax mode, countries and shipping options; the first is the default',
        tags: ['regions'],
        response: { 200: Type.Object({ items: Type.Array(Region) }) },
      },
    },
    async () => ({ items: await deps.regions.all() }),
  );
}
