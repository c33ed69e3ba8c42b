import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { services } from '@bazaar/launcher/services';
import { signUpBuyers, startTunedShop, type TunedShop } from '@bazaar/testing/tuned-shop';
import { waitFor } from '@bazaar/testing/until';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ledgerViolations } from '../src/ledger.js';
import { ownPostgres } from '../src/servers.js';
import { startSteadyCheckouts } from '../src/steady-checkouts.js';

/** The database server crashing and coming back (`pg_ctl restart -m immediate`) under load. */
let postgres: Awaited<ReturnType<typeof ownPostgres>>;
let shop: TunedShop;

beforeAll(async () => {
  postgres = await ownPostgres();
  shop = await startTunedShop(postgres.url);
});

afterAll(async () => {
  await shop?.shop.stop();
  await postgres?.close();
});

const withDatabase = services.filter((spec) => spec.database).map((spec) => spec.name);

test('PostgreSQL restarted with -m immediate under load: /readyz goes false then true, the services recover without a restart, no accepted order is lost', async ({
  annotate,
}) => {
  const { client, admin } = shop;
  const initialStock = new Map([[await client.stockedSku(admin, 100_000), 100_000]]);
  const buyers = await signUpBuyers(client, 10);
  const before = await shop.shop.startTimes();
  const readiness = new Map<string, boolean[]>();
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      await Promise.all(
        withDatabase.map(async (name) => {
          const ready = await fetch(`${shop.shop.urlOf(name)}/readyz`).then(
            (response) => response.ok,
            () => false,
          );
          const seen = readiness.get(name) ?? [];
          if (seen.at(-1) !== ready) readiness.set(name, [...seen, ready]);
        }),
      );
      await sleep(20);
    }
  })();
  const load = startSteadyCheckouts(client, buyers, [...initialStock.keys()]);
  await sleep(3000);

  await postgres.restartImmediately();
  const back = Date.now();
  await waitFor(
    async () =>
      (
        await Promise.all(
          withDatabase.map((name) =>
            fetch(`${shop.shop.urlOf(name)}/readyz`).then((response) => response.ok),
          ),
        )
      ).every(Boolean),
    (ready) => ready,
    { timeoutMs: 30_000 },
  );
  await annotate(`PostgreSQL back: every service ready again ${Date.now() - back} ms later`);
  await sleep(3000);
  const tally = await load.stop();
  watching = false;
  await watcher;

  for (const name of withDatabase) {
    const seen = readiness.get(name) ?? [];
    expect([seen[0], seen.includes(false), seen.at(-1)], `${name} readiness ${seen}`).toEqual([
      true,
      true,
      true,
    ]);
  }
  expect(await shop.shop.startTimes()).toEqual(before);
  const [buyer = ''] = buyers;
  await client.cartWith(buyer, [...initialStock.keys()][0] ?? '', 1);
  const afterRestart = await client.checkout(buyer, randomUUID());
  expect(afterRestart.status, JSON.stringify(afterRestart.body)).toBe(201);
  expect(
    Object.keys(tally.statuses).filter((status) => status.startsWith('50') && status !== '503'),
  ).toEqual([]);
  expect(await ledgerViolations(shop.shop, { ...tally, initialStock })).toEqual([]);
});
