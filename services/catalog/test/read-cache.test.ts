import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { memoryReadCache, redisReadCache } from '../src/domain/read-cache.js';
import { type RunningCatalog, startCatalog } from './catalog-fixture.js';

const redisUrl = inject('redisUrl');

describe.runIf(redisUrl)('the Redis read cache', () => {
  let catalog: RunningCatalog;
  let redis: Redis;
  const errors: unknown[] = [];

  beforeAll(async () => {
    redis = new Redis(redisUrl ?? '');
    // A database of its own keeps this test's generation counter away from everything else.
    await redis.select(7);
    await redis.flushdb();
    catalog = await startCatalog(inject('postgresUrl'), {
      cache: redisReadCache(redis, { ttlSeconds: 60, onError: (error) => errors.push(error) }),
    });
  });

  afterAll(async () => {
    await catalog.close();
    await redis.flushdb();
    await redis.quit();
  });

  const firstName = async () =>
    (await catalog.app.inject({ method: 'GET', url: '/api/products?limit=1' })).json().items[0]
      .name;

  test('a repeated read is answered from the cache, and an admin change invalidates it at once', async () => {
    const before = await firstName();
    await catalog.db.query(
      `UPDATE products SET name = 'Changed Behind The Cache' WHERE slug = (
         SELECT slug FROM products WHERE status = 'active' ORDER BY created_at DESC, id DESC LIMIT 1)`,
    );
    expect(await firstName()).toBe(before);

    const [anyProduct] = (await catalog.db.query('SELECT id FROM products LIMIT 1')).rows;
    const change = await catalog.app.inject({
      method: 'PATCH',
      url: `/api/admin/products/${anyProduct.id}`,
      headers: { authorization: `Bearer ${catalog.adminToken}` },
      payload: { description: 'Touched by an admin.' },
    });
    expect(change.statusCode).toBe(200);
    expect(await firstName()).toBe('Changed Behind The Cache');
    expect(errors).toEqual([]);
  });
});

test('with Redis down, reads still come from PostgreSQL', async () => {
  const errors: unknown[] = [];
  const unreachable = new Redis('redis://127.0.0.1:1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  unreachable.on('error', () => {});
  const catalog = await startCatalog(inject('postgresUrl'), {
    seed: true,
    cache: redisReadCache(unreachable, { ttlSeconds: 60, onError: (error) => errors.push(error) }),
  });
  const response = await catalog.app.inject({ method: 'GET', url: '/api/products?limit=2' });
  await catalog.close();
  unreachable.disconnect();
  expect(response.statusCode).toBe(200);
  expect(response.json().items).toHaveLength(2);
  expect(errors.length).toBeGreaterThan(0);
});

describe('the in-process read cache', () => {
  /** A computation that answers `${key}${n}` on its n-th run, so a test sees when it ran. */
  function counted(key: string, answer = true) {
    let runs = 0;
    const compute = async () => {
      runs += 1;
      return answer ? `${key}${runs}` : undefined;
    };
    return { compute, runs: () => runs };
  }

  test('remembers an answer for its lifetime, renews it after, and forgets it on a change at once', async () => {
    const cache = memoryReadCache({ ttlMs: 100, maxEntries: 10 });
    const list = counted('list');
    const read = () => cache.remember('list', list.compute);
    expect([await read(), await read()]).toEqual(['list1', 'list1']);
    await new Promise((resolve) => setTimeout(resolve, 120));
    // Expired: this read still gets the old answer while the next one is computed.
    expect(await read()).toBe('list1');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await read()).toBe('list2');
    expect(list.runs()).toBe(2);
    await cache.invalidate();
    expect(await read()).toBe('list3');
  });

  test('fifty reads of a missing answer at once compute it once', async () => {
    const cache = memoryReadCache({ ttlMs: 60_000, maxEntries: 10 });
    const list = counted('list');
    const slow = async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return list.compute();
    };
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => cache.remember('list', slow)),
    );
    expect(new Set(answers)).toEqual(new Set(['list1']));
    expect(list.runs()).toBe(1);
  });

  test('an answer computed across a change is not kept', async () => {
    const cache = memoryReadCache({ ttlMs: 60_000, maxEntries: 10 });
    const list = counted('list');
    let release = () => {};
    const held = async () => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return list.compute();
    };
    const before = cache.remember('list', held);
    await cache.invalidate();
    release();
    expect(await before).toBe('list1');
    expect(await cache.remember('list', list.compute)).toBe('list2');
  });

  test('keeps at most maxEntries answers, dropping the oldest, and never caches a missing one', async () => {
    const cache = memoryReadCache({ ttlMs: 60_000, maxEntries: 2 });
    const [a, b, c] = [counted('a'), counted('b'), counted('c')];
    await cache.remember('a', a.compute);
    await cache.remember('b', b.compute);
    await cache.remember('c', c.compute);
    expect(await cache.remember('a', a.compute)).toBe('a2');
    expect(await cache.remember('c', c.compute)).toBe('c1');
    const gone = counted('gone', false);
    await cache.remember('gone', gone.compute);
    await cache.remember('gone', gone.compute);
    expect(gone.runs()).toBe(2);
  });
});
