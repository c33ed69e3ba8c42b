import { DomainError } from '@bazaar/service-kit/errors';
import type { Redis } from 'ioredis';
import {
  type CartLine,
  type CartSettings,
  type CartStore,
  type ClaimOutcome,
  maxQuantity,
} from '../domain/cart.js';
import { CartError } from '../domain/errors.js';

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

// The cart's settings live in its hash under a field no SKU can be named, so they expire with it.
const settingsField = ':settings';

// Adds every line of one cart to another, capped, and its settings over the other's; then deletes
// the first.
const mergeScript = `
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  if fields[i] == ARGV[3] then
    local settings = cjson.decode(redis.call('HGET', KEYS[2], ARGV[3]) or '{}')
    for name, value in pairs(cjson.decode(fields[i + 1])) do settings[name] = value end
    redis.call('HSET', KEYS[2], ARGV[3], cjson.encode(settings))
  else
    local current = tonumber(redis.call('HGET', KEYS[2], fields[i]) or '0')
    redis.call('HSET', KEYS[2], fields[i], math.min(current + tonumber(fields[i + 1]), tonumber(ARGV[1])))
  end
end
redis.call('DEL', KEYS[1])
if #fields > 0 then redis.call('EXPIRE', KEYS[2], ARGV[2]) end
return #fields / 2`;

// Takes the lines out of the cart for one order, all or none, and records the claim beside the
// cart; a second claim for the same order answers the first's state.
const claimScript = `
local earlier = redis.call('HGET', KEYS[2], ARGV[1])
if earlier then return cjson.decode(earlier).state end
for i = 4, #ARGV, 2 do
  if tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '0') < tonumber(ARGV[i + 1]) then
    return 'refused'
  end
end
for i = 4, #ARGV, 2 do
  if redis.call('HINCRBY', KEYS[1], ARGV[i], -tonumber(ARGV[i + 1])) <= 0 then
    redis.call('HDEL', KEYS[1], ARGV[i])
  end
end
redis.call('HSET', KEYS[2], ARGV[1], cjson.encode({ state = 'claimed', lines = cjson.decode(ARGV[2]) }))
redis.call('EXPIRE', KEYS[2], ARGV[3])
return 'claimed'`;

// Settles a claim once: 'returned' puts its lines back into the cart (capped), 'bought' does not,
// and takes the code the order used off the cart.
// Returning a checkout that claimed nothing leaves it returned all the same, so that its claim,
// should it still arrive (held up on the way), is refused rather than held for ever.
const settleScript = `
local earlier = redis.call('HGET', KEYS[2], ARGV[1])
if not earlier then
  if ARGV[2] == 'returned' then
    redis.call('HSET', KEYS[2], ARGV[1], '{"state":"returned","lines":[]}')
    redis.call('EXPIRE', KEYS[2], ARGV[4])
  end
  return 0
end
local checkout = cjson.decode(earlier)
if checkout.state ~= 'claimed' then return 0 end
if ARGV[2] == 'returned' then
  for _, line in ipairs(checkout.lines) do
    local current = tonumber(redis.call('HGET', KEYS[1], line.sku) or '0')
    redis.call('HSET', KEYS[1], line.sku, math.min(current + line.quantity, tonumber(ARGV[3])))
  end
  redis.call('EXPIRE', KEYS[1], ARGV[4])
end
if ARGV[2] == 'bought' then
  local settings = redis.call('HGET', KEYS[1], ARGV[5])
  if settings then
    local decoded = cjson.decode(settings)
    decoded.promotionCode = nil
    redis.call('HSET', KEYS[1], ARGV[5], cjson.encode(decoded))
  end
end
checkout.state = ARGV[2]
redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(checkout))
return 1`;

/**
 * Carts as Redis hashes (`cart:<cart id>`, SKU → quantity, and the settings) that expire `ttlSeconds`
 * after a change; beside each, `cart:<cart id>:checkouts` (order id → the lines it claimed and their
 * state).
 */
export function redisCartStore(redis: Redis, options: { ttlSeconds: number }): CartStore {
  const key = (cart: string) => `cart:${cart}`;
  const ttl = String(options.ttlSeconds);
  // Redis away is a 503 the shopper can retry, not a 500.
  const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw new CartError('upstream_unavailable', 'The cart store is not answering', {
        retryAfterSeconds: 2,
      });
    }
  };
  const checkoutsKey = (cart: string) => `${key(cart)}:checkouts`;
  const inProgress = async (cart: string) =>
    Object.entries(await redis.hgetall(checkoutsKey(cart)))
      .filter(([, checkout]) => (JSON.parse(checkout) as { state: string }).state === 'claimed')
      .map(([orderId]) => orderId);
  const settle = (cart: string, orderId: string, state: 'returned' | 'bought') =>
    guarded(async () => {
      await redis.eval(
        settleScript,
        2,
        key(cart),
        checkoutsKey(cart),
        orderId,
        state,
        maxQuantity,
        ttl,
        settingsField,
      );
    });
  const store: CartStore = {
    read: (cart) =>
      guarded(async () => {
        const { [settingsField]: settings, ...hash } = await redis.hgetall(key(cart));
        return {
          lines: Object.entries(hash)
            .map(([sku, quantity]): CartLine => ({ sku, quantity: Number(quantity) }))
            .sort((a, b) => (a.sku < b.sku ? -1 : 1)),
          settings: settings ? (JSON.parse(settings) as CartSettings) : {},
        };
      }),
    saveSettings: (cart, settings) =>
      guarded(async () => {
        await redis
          .multi()
          .hset(key(cart), settingsField, JSON.stringify(settings))
          .expire(key(cart), options.ttlSeconds)
          .exec();
      }),
    add: (cart, line) =>
      guarded(async () => {
        const next = Number(
          await redis.eval(addScript, 1, key(cart), line.sku, line.quantity, maxQuantity, ttl),
        );
        return next < 0 ? undefined : next;
      }),
    set: (cart, line) =>
      guarded(
        async () =>
          Number(await redis.eval(setScript, 1, key(cart), line.sku, line.quantity, ttl)) === 1,
      ),
    remove: (cart, skus) =>
      guarded(async () => {
        if (skus.length > 0) await redis.hdel(key(cart), ...skus);
      }),
    claim: (cart, orderId, lines) =>
      guarded(async (): Promise<ClaimOutcome> => {
        const state = String(
          await redis.eval(
            claimScript,
            2,
            key(cart),
            checkoutsKey(cart),
            orderId,
            JSON.stringify(lines),
            ttl,
            ...lines.flatMap((line) => [line.sku, line.quantity]),
          ),
        );
        if (state === 'claimed' || state === 'bought') return { claimed: true };
        return { claimed: false, heldBy: state === 'refused' ? await inProgress(cart) : [] };
      }),
    readForCheckout: async (cart) => {
      const [cartRead, checkoutsInProgress] = await Promise.all([
        store.read(cart),
        guarded(() => inProgress(cart)),
      ]);
      return { ...cartRead, checkoutsInProgress };
    },
    giveBack: (cart, orderId) => settle(cart, orderId, 'returned'),
    markBought: (cart, orderId) => settle(cart, orderId, 'bought'),
    merge: (from, to) =>
      guarded(async () => {
        await redis.eval(mergeScript, 2, key(from), key(to), maxQuantity, ttl, settingsField);
      }),
    close: async () => {
      await redis.quit();
    },
  };
  return store;
}
