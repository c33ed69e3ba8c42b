import type { PricesResponse } from '@bazaar/contracts/internal-api';
import type { ServiceClient } from '@bazaar/service-kit/service-client';
import type { Neighbours } from '../domain/ports.js';
import { body } from './answers.js';

/** Catalog's internal API: the current price and sale status of SKUs. */
export function catalogClient(catalog: ServiceClient): Pick<Neighbours, 'prices'> {
  return {
    prices: async (skus) => {
      const response = await catalog.call<PricesResponse>({
        method: 'POST',
        path: '/internal/prices',
        body: { skus },
        idempotent: true,
      });
      return new Map(body(response, 'catalog', 200).items.map((item) => [item.sku, item]));
    },
  };
}
