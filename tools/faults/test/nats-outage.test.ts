import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { installedBinary } from '@bazaar/testing/installed-binary';
import { signUpBuyers, startTunedShop, type TunedShop } from '@bazaar/testing/tuned-shop';
import { waitFor } from '@bazaar/testing/until';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { ledgerViolations } from '../src/ledger.js';
import { type OwnServer, ownNats } from '../src/servers.js';

/** The event bus away for half a minute while the shop keeps selling. */
const natsServer = installedBinary('nats-server', 'BAZAAR_FAULT_SERVERS');
let nats: OwnServer;
let shop: TunedShop;

beforeAll(async () => {
  if (!natsServer) return;
  nats = await ownNats(natsServer);
  shop = await startTunedShop(inject('postgresUrl'), { natsUrl: nats.url });
});

afterAll(async () => {
  await shop?.shop.stop();
  await nats?.close();
});

test.skipIf(!natsServer)(
  'NATS stopped for 30 s while 200 orders are placed: every event is delivered within 60 s of its return, none twice',
  async ({ annotate }) => {
    const { client, admin } = shop;
    const skus = [await client.stockedSku(admin, 10_000), await client.stockedSku(admin, 10_000)];
    const buyers = await signUpBuyers(client, 20);
    const receipts = async () =>
      (
        await shop.shop
          .db('notifications')
          .query("SELECT count(*)::int AS n FROM messages WHERE kind = 'receipt'")
      ).rows[0].n as number;

    await nats.stop('crash');
    const outage = Date.now();
    const accepted: string[] = [];
    // Ten orders from each buyer, each after the last; the carts empty themselves only once the
    // events flow again, so each order is placed from a cart of its own (one line, then checkout).
    for (let round = 0; round < 10; round += 1) {
      await Promise.all(
        buyers.map(async (token, index) => {
          const sku = skus[(index + round) % skus.length] as string;
          await client.call('DELETE', `/api/cart/items/${skus[0]}`, { bearer: token });
          await client.call('DELETE', `/api/cart/items/${skus[1]}`, { bearer: token });
          await client.cartWith(token, sku, 1);
          const answer = await client.checkout(token, randomUUID());
          expect(answer.status, JSON.stringify(answer.body)).toBe(201);
          accepted.push(answer.body.id);
        }),
      );
    }
    expect(accepted).toHaveLength(200);
    expect(await receipts()).toBe(0);
    await sleep(Math.max(0, 30_000 - (Date.now() - outage)));

    await nats.start();
    const back = Date.now();
    await waitFor(receipts, (n) => n === 200, { timeoutMs: 60_000 });
    const deliveredInMs = Date.now() - back;
    await annotate(`NATS back: 200 orders' receipts delivered ${deliveredInMs} ms later`);

    expect(deliveredInMs).toBeLessThan(60_000);
    expect(
      await ledgerViolations(shop.shop, {
        accepted,
        initialStock: new Map(skus.map((sku) => [sku, 10_000])),
      }),
    ).toEqual([]);
  },
);
