import type { SkuPrice } from '@bazaar/contracts/internal-api';

/** Today's price and sale status of each SKU, keyed by SKU; a SKU catalog does not know is missing. */
export type CatalogPrices = (skus: readonly string[]) => Promise<Map<string, SkuPrice>>;
