import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { installedBinary } from '@bazaar/testing/installed-binary';
import { signUpBuyers, startTunedShop, type TunedShop } from '@bazaar/testing/tuned-shop';
import { waitFor } from '@bazaar/testing/until';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { ledgerViolations } from '../src/ledger.js';
import { type OwnServer, ownNats } from '../src/servers.js';
import { subjectOf } from '../src/steady-checkouts.js';

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
    // Ten orders from each buyer, each after the last: a checkout takes its line out of the cart
    // at once, so the next order is placed from what was put in since, events or not.
    for (let round = 0; round < 10; round += 1) {
      await Promise.all(
        buyers.map(async (token, index) => {
          const sku = skus[(index + round) % skus.length] as string;
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
        unitsPutInCarts: new Map(buyers.map((token) => [subjectOf(token), 10])),
      }),
    ).toEqual([]);
  },
);
