import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { installedBinary } from '@bazaar/testing/installed-binary';
import { signUpBuyers, startTunedShop, type TunedShop } from '@bazaar/testing/tuned-shop';
import { waitFor } from '@bazaar/testing/until';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { type OwnServer, ownRedis } from '../src/servers.js';

/**
 * Redis away for half a minute, with carts, the catalog's read cache and the gateway's rate-limit
 * counters in it. What the READMEs promise: carts answer 503 with Retry-After (never a hang, never a
 * 500) and cart's /readyz is false; the catalog reads from PostgreSQL; the rate limiter lets requests
 * through and the gateway stays ready; within 5 s of Redis' return carts answer again, unchanged.
 */
const redisServer = installedBinary('redis-server', 'BAZAAR_FAULT_SERVERS');
let redis: OwnServer;
let shop: TunedShop;

beforeAll(async () => {
  if (!redisServer) return;
  redis = await ownRedis(redisServer);
  shop = await startTunedShop(inject('postgresUrl'), { redisUrl: redis.url });
});

afterAll(async () => {
  await shop?.shop.stop();
  await redis?.close();
});

test.skipIf(!redisServer)(
  'Redis stopped for 30 s: carts 503 with Retry-After, reads and the gateway go on, carts are back within 5 s',
  async ({ annotate }) => {
    const { client, admin, shop: running } = shop;
    const sku = await client.stockedSku(admin, 100);
    const [buyer = ''] = await signUpBuyers(client, 1);
    await client.cartWith(buyer, sku, 2);
    const ready = async (service: string) =>
      (await fetch(`${running.urlOf(service)}/readyz`)).status;

    await redis.stop('crash');
    const outage = Date.now();
    const seen = { cart: new Set<number>(), retryAfter: new Set<string | null>(), slowest: 0 };
    while (Date.now() - outage < 30_000) {
      const begun = Date.now();
      const cart = await client.call('GET', '/api/cart', { bearer: buyer });
      const add = await client.call('POST', '/api/cart/items', {
        bearer: buyer,
        body: { sku, quantity: 1 },
      });
      const pay = await client.checkout(buyer, randomUUID());
      seen.slowest = Math.max(seen.slowest, Date.now() - begun);
      for (const answer of [cart, add, pay]) {
        seen.cart.add(answer.status);
        seen.retryAfter.add(answer.headers.get('retry-after'));
      }
      expect((await client.call('GET', '/api/products?limit=5')).status).toBe(200);
      expect(await ready('cart')).toBe(503);
      expect(await ready('gateway')).toBe(200);
      await sleep(1000);
    }
    expect([...seen.cart]).toEqual([503]);
    expect([...seen.retryAfter]).toEqual(['2']);
    // Three calls in a row, each refused at once rather than waiting on Redis.
    expect(seen.slowest).toBeLessThan(3000);

    await redis.start();
    const back = Date.now();
    const cart = await waitFor(
      () => client.call('GET', '/api/cart', { bearer: buyer }),
      (answer) => answer.status === 200,
      { timeoutMs: 10_000 },
    );
    const recoveredInMs = Date.now() - back;
    await annotate(`Redis back: carts answering again ${recoveredInMs} ms later`);
    expect(recoveredInMs).toBeLessThan(5000);
    expect(cart.body.items).toEqual([expect.objectContaining({ sku, quantity: 2 })]);
    expect(await ready('cart')).toBe(200);
  },
);
