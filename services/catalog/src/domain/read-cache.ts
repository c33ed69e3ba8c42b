import type { Redis } from 'ioredis';

/** Answers to repeated reads; `invalidate` makes every earlier answer unreachable at once. */
export type ReadCache = {
  remember: <T>(key: string, compute: () => Promise<T>) => Promise<T>;
  invalidate: () => Promise<void>;
};

/** No cache: every read goes to PostgreSQL. */
export const noReadCache: ReadCache = {
  remember: (_key, compute) => compute(),
  invalidate: async () => {},
};

/**
 * A cache in this process, for when there is no Redis: answers live `ttlMs` (reads already promise
 * clients nothing fresher than `Cache-Control: max-age=60`), a change made here clears it at once,
 * and a change made by another replica shows here within `ttlMs`. At most `maxEntries` answers.
 */
export function memoryReadCache(options: { ttlMs: number; maxEntries: number }): ReadCache {
  const entries = new Map<string, { value: unknown; until: number }>();
  return {
    remember: async (key, compute) => {
      const hit = entries.get(key);
      if (hit && hit.until > Date.now()) return hit.value as Awaited<ReturnType<typeof compute>>;
      const value = await compute();
      if (value !== undefined) {
        entries.delete(key);
        entries.set(key, { value, until: Date.now() + options.ttlMs });
        // A Map iterates in insertion order: the first key is the oldest entry.
        if (entries.size > options.maxEntries) entries.delete(entries.keys().next().value ?? '');
      }
      return value;
    },
    invalidate: async () => {
      entries.clear();
    },
  };
}

const generationKey = 'catalog:generation';

/**
 * A Redis cache shared by every catalog replica. Keys carry a generation number that each change
 * bumps, so no replica can serve a page from before the change; old entries just expire. When Redis
 * fails, reads go to PostgreSQL and the failure is logged.
 */
export function redisReadCache(
  redis: Redis,
  options: { ttlSeconds: number; onError: (error: unknown) => void },
): ReadCache {
  return {
    remember: async (key, compute) => {
      let cacheKey: string | undefined;
      try {
        const generation = (await redis.get(generationKey)) ?? '0';
        cacheKey = `catalog:${generation}:${key}`;
        const hit = await redis.get(cacheKey);
        if (hit !== null) return JSON.parse(hit);
      } catch (error) {
        options.onError(error);
      }
      const value = await compute();
      if (cacheKey && value !== undefined) {
        await redis
          .set(cacheKey, JSON.stringify(value), 'EX', options.ttlSeconds)
          .catch(options.onError);
      }
      return value;
    },
    invalidate: async () => {
      await redis.incr(generationKey).catch(options.onError);
    },
  };
}
