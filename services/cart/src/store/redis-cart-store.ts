import { DomainError } from '@bazaar/service-kit/errors';
import type { Redis } from 'ioredis';
import {
  type CartLine,
  type CartOwner,
  type CartStore,
  maxQuantity,
  ownerKey,
} from '../domain/cart.js';
import { hashGuestToken } from '../domain/guest-token.js';

// Adds to a line only while the result stays within the limit, and renews the cart's TTL; atomic.
const addScript = `
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
local next = current + tonumber(ARGV[2])
if next > tonumber(ARGV[3]) then return -1 end
redis.call('HSET', KEYS[1], ARGV[1], next)
redis.call('EXPIRE', KEYS[1], ARGV[4])
return next`;

const setScript = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1`;

// Adds every line of one cart to another, capped, then deletes the first.
const mergeScript = `
local lines = redis.call('HGETALL', KEYS[1])
for i = 1, #lines, 2 do
  local current = tonumber(redis.call('HGET', KEYS[2], lines[i]) or '0')
  redis.call('HSET', KEYS[2], lines[i], math.min(current + tonumber(lines[i + 1]), tonumber(ARGV[1])))
end
redis.call('DEL', KEYS[1])
if #lines > 0 then redis.call('EXPIRE', KEYS[2], ARGV[2]) end
return #lines / 2`;

// Takes bought quantities out, once per event: the event id is remembered beside the cart.
const subtractScript = `
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('EXPIRE', KEYS[2], ARGV[2])
for i = 3, #ARGV, 2 do
  local left = redis.call('HINCRBY', KEYS[1], ARGV[i], -tonumber(ARGV[i + 1]))
  if left <= 0 then redis.call('HDEL', KEYS[1], ARGV[i]) end
end
return 1`;

/** Carts as Redis hashes (`cart:<owner>`, SKU → quantity) that expire `ttlSeconds` after a change. */
export function redisCartStore(redis: Redis, options: { ttlSeconds: number }): CartStore {
  const key = (owner: CartOwner) => `cart:${ownerKey(owner, hashGuestToken)}`;
  const ttl = String(options.ttlSeconds);
  // Redis away is a 503 the shopper can retry, not a 500.
  const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw new DomainError('upstream_unavailable', 'The cart store is not answering', {
        retryAfterSeconds: 2,
      });
    }
  };
  return {
    lines: (owner) =>
      guarded(async () => {
        const hash = await redis.hgetall(key(owner));
        return Object.entries(hash)
          .map(([sku, quantity]): CartLine => ({ sku, quantity: Number(quantity) }))
          .sort((a, b) => (a.sku < b.sku ? -1 : 1));
      }),
    add: (owner, line) =>
      guarded(async () => {
        const next = Number(
          await redis.eval(addScript, 1, key(owner), line.sku, line.quantity, maxQuantity, ttl),
        );
        return next < 0 ? undefined : next;
      }),
    set: (owner, line) =>
      guarded(
        async () =>
          Number(await redis.eval(setScript, 1, key(owner), line.sku, line.quantity, ttl)) === 1,
      ),
    remove: (owner, skus) =>
      guarded(async () => {
        if (skus.length > 0) await redis.hdel(key(owner), ...skus);
      }),
    subtract: (owner, lines, eventId) =>
      guarded(async () => {
        await redis.eval(
          subtractScript,
          2,
          key(owner),
          `${key(owner)}:applied`,
          eventId,
          ttl,
          ...lines.flatMap((line) => [line.sku, line.quantity]),
        );
      }),
    merge: (from, to) =>
      guarded(async () => {
        await redis.eval(mergeScript, 2, key(from), key(to), maxQuantity, ttl);
      }),
    close: async () => {
      await redis.quit();
    },
  };
}
