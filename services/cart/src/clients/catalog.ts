import type { PricesResponse } from '@bazaar/contracts/internal-api';
import type { ServiceClient } from '@bazaar/service-kit/service-client';
import type { CatalogPrices } from '../domain/ports.js';

/** Catalog's `/internal/prices`, asked only when there is a SKU to price. */
export function catalogPrices(catalog: ServiceClient): CatalogPrices {
  return async (skus) => {
    if (skus.length === 0) return new Map();
    const response = await catalog.call<PricesResponse>({
      method: 'POST',
      path: '/internal/prices',
      body: { skus },
      idempotent: true,
    });
    if (response.status !== 200) throw new Error(`catalog answered ${response.status} for prices`);
    return new Map(response.body.items.map((item) => [item.sku, item]));
  };
}
