import type { Queryable } from '@bazaar/db/pool';
import { selectRegions, selectTaxRates } from '../store/region-store.js';
import type { Region, TaxRate } from './regions.js';

type Rules = { regions: Region[]; taxRates: TaxRate[] };

/**
 * The shop's regions with their shipping options, and its tax rates, read at most once per `ttlMs`
 * in a process: every price read and quote needs them, and they change rarely. A change made
 * through this process is seen at once (`forget`), one made through another replica within `ttlMs`.
 */
export type ShopRegions = {
  all: () => Promise<Region[]>;
  taxRates: () => Promise<TaxRate[]>;
  forget: () => void;
};

export function shopRegions(db: Queryable, ttlMs: number): ShopRegions {
  let cached: { readAt: number; rules: Promise<Rules> } | undefined;
  const rules = () => {
    if (!cached || Date.now() - cached.readAt > ttlMs) {
      const read = Promise.all([selectRegions(db), selectTaxRates(db)]).then(
        ([regions, taxRates]) => ({ regions, taxRates }),
      );
      const entry = { readAt: Date.now(), rules: read };
      cached = entry;
      // A failed read is not kept: the next call reads again.
      read.catch(() => {
        if (cached === entry) cached = undefined;
      });
    }
    return cached.rules;
  };
  return {
    all: async () => (await rules()).regions,
    taxRates: async () => (await rules()).taxRates,
    forget: () => {
      cached = undefined;
    },
  };
}
