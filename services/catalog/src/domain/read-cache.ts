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
