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
 * Concurrent reads of a missing answer share one computation, and an answer that has just expired
 * is still served while one read computes its successor, so a busy page never stampedes the
 * database nor keeps its readers waiting.
 */
export function memoryReadCache(options: { ttlMs: number; maxEntries: number }): ReadCache {
  type Entry = { value?: unknown; until: number; refreshing?: Promise<unknown> };
  const entries = new Map<string, Entry>();

  const refresh = (key: string, entry: Entry, compute: () => Promise<unknown>) => {
    // An entry no longer in the map was cleared by a change (or evicted) while this computed:
    // its answer may predate the change and is not kept.
    const current = () => entries.get(key) === entry;
    entry.refreshing = compute().then(
      (value) => {
        entry.refreshing = undefined;
        if (!current()) return value;
        if (value === undefined) entries.delete(key);
        else Object.assign(entry, { value, until: Date.now() + options.ttlMs });
        return value;
      },
      (error: unknown) => {
        entry.refreshing = undefined;
        if (current() && entry.value === undefined) entries.delete(key);
        throw error;
      },
    );
    return entry.refreshing;
  };

  return {
    remember: async <T>(key: string, compute: () => Promise<T>): Promise<T> => {
      const entry = entries.get(key);
      if (entry?.value !== undefined) {
        if (entry.until <= Date.now() && !entry.refreshing) {
          refresh(key, entry, compute).catch(() => undefined);
        }
        return entry.value as T;
      }
      if (entry?.refreshing) return entry.refreshing as Promise<T>;
      const fresh: Entry = { until: 0 };
      entries.set(key, fresh);
      // A Map iterates in insertion order: the first key is the oldest entry.
      if (entries.size > options.maxEntries) entries.delete(entries.keys().next().value ?? '');
      return refresh(key, fresh, compute) as Promise<T>;
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
