import type { Queryable } from '@bazaar/db/pool';
import { selectRegions } from '../store/region-store.js';
import type { Region } from './regions.js';

/**
 * The shop's regions with their shipping options, read at most once per `ttlMs` in a process:
 * every price read and quote needs them, and they change rarely. A change made through this
 * process is seen at once (`forget`), one made through another replica within `ttlMs`.
 */
export type ShopRegions = { all: () => Promise<Region[]>; forget: () => void };

export function shopRegions(db: Queryable, ttlMs: number): ShopRegions {
  let cached: { readAt: number; regions: Promise<Region[]> } | undefined;
  return {
    all: () => {
      if (!cached || Date.now() - cached.readAt > ttlMs) {
        const regions = selectRegions(db);
        const entry = { readAt: Date.now(), regions };
        cached = entry;
        // A failed read is not kept: the next call reads again.
        regions.catch(() => {
          if (cached === entry) cached = undefined;
        });
      }
      return cached.regions;
    },
    forget: () => {
      cached = undefined;
    },
  };
}
