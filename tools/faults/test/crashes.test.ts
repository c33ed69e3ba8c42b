import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { signUpBuyers, startTunedShop, type TunedShop } from '@bazaar/testing/tuned-shop';
import { waitFor } from '@bazaar/testing/until';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { ledgerViolations } from '../src/ledger.js';
import { startSteadyCheckouts } from '../src/steady-checkouts.js';

/** Processes dying with SIGKILL, as an OOM kill or a lost node ends them, in the middle of work. */
let shop: TunedShop;

beforeAll(async () => {
  shop = await startTunedShop(inject('postgresUrl'));
});

afterAll(async () => {
  await shop?.shop.stop();
});

test('kill -9 of orders, payments and inventory (and so of their outbox relays), 20 times at random moments under steady checkouts with a code, each order then cancelling one of its two units: the ledger holds, promotion uses and refunds included', async ({
  annotate,
}) => {
  const { client, admin } = shop;
  const initialStock = new Map<string, number>();
  for (let index = 0; index < 3; index += 1)
    initialStock.set(await client.stockedSku(admin, 100_000), 100_000);
  const buyers = await signUpBuyers(client, 12);
  // Each order also holds and commits a use of a code, which a kill must neither lose nor keep.
  const promotionCode = `KILL${randomUUID().slice(0, 6).toUpperCase()}`;
  const promotion = client.expectStatus(
    await client.call('POST', '/api/admin/promotions', {
      bearer: admin,
      body: { code: promotionCode, kind: 'percentage', percent: 10 },
    }),
    201,
    'create a code',
  ).body;
  const load = startSteadyCheckouts(client, buyers, [...initialStock.keys()], {
    promotionCode,
    cancelOneOfTwo: true,
  });

  const victims = ['orders', 'payments', 'inventory'];
  for (let run = 0; run < 20; run += 1) {
    await sleep(200 + Math.random() * 1000);
    const victim = victims[run % victims.length] as string;
    shop.shop.signal(victim, 'SIGKILL');
    await shop.shop.restart(victim);
  }
  await sleep(1000);
  const tally = await load.stop();
  await annotate(`answers during the kills: ${JSON.stringify(tally.statuses)}`);

  expect(tally.accepted.length, JSON.stringify(tally.statuses)).toBeGreaterThan(20);
  // Most of the cancellations went through: refunds were being made when the kills landed.
  const cancellations = (
    await shop.shop
      .db('orders')
      .query("SELECT count(*)::int AS n FROM returns WHERE status = 'refunded'")
  ).rows[0].n;
  await annotate(`${cancellations} of ${tally.partlyCancelled.length} cancellations refunded`);
  expect(cancellations).toBeGreaterThan(tally.partlyCancelled.length / 2);
  expect(await ledgerViolations(shop.shop, { ...tally, initialStock })).toEqual([]);
  const { uses } = (
    await client.call('GET', `/api/admin/promotions/${promotion.id}`, { bearer: admin })
  ).body;
  expect(uses).toBeGreaterThan(20);
});

test('a consumer killed after its effect committed and before its ack: the event comes again and is applied once', async () => {
  const { client, admin } = shop;
  const sku = await client.stockedSku(admin, 1000);
  const [buyer = ''] = await signUpBuyers(client, 1);
  await client.cartWith(buyer, sku, 1);
  const bus = shop.shop.db('bus');
  await waitFor(
    async () =>
      (
        await bus.query(
          `SELECT count(*)::int AS n FROM events e, consumer_positions p
            WHERE p.consumer = 'notifications' AND e.position > p.position
              AND e.type IN ('identity.user.registered.v1', 'order.confirmed.v1')`,
        )
      ).rows[0].n,
    (behind) => behind === 0,
  );

  // The consumer's ack on the PostgreSQL log is its position update: hold that row, and the
  // consumer applies the event, commits, then waits on the lock, its ack not yet given.
  const blocker = new pg.Client({ connectionString: databaseUrlOf(bus) });
  await blocker.connect();
  await blocker.query('BEGIN');
  await blocker.query(
    "SELECT 1 FROM consumer_positions WHERE consumer = 'notifications' FOR UPDATE",
  );
  const order = await client.checkout(buyer, randomUUID());
  expect(order.status).toBe(201);
  const receipts = () =>
    shop.shop
      .db('notifications')
      .query("SELECT count(*)::int AS n FROM messages WHERE kind = 'receipt' AND subject LIKE $1", [
        `%${order.body.id.slice(0, 8).toUpperCase()}%`,
      ]);
  await waitFor(
    async () => (await receipts()).rows[0].n,
    (n) => n === 1,
  );
  await waitFor(
    async () =>
      (
        await bus.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE consumer_positions%'`,
        )
      ).rows[0].n,
    (waiting) => waiting === 1,
  );
  shop.shop.signal('notifications', 'SIGKILL');
  // The dead process's session is still queued on the lock with its ack; PostgreSQL would end it
  // once it noticed the connection gone (keepalives), and ending it now keeps the ack from landing.
  await bus.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE consumer_positions%'`,
  );
  await blocker.query('ROLLBACK');
  await blocker.end();
  await shop.shop.restart('notifications');

  const redelivered = await waitFor(
    () =>
      shop.shop.metric('notifications', 'bazaar_events_redelivered_total', 'order.confirmed.v1'),
    (count) => count >= 1,
  );
  expect(redelivered).toBe(1);
  expect((await receipts()).rows[0].n).toBe(1);
});

function databaseUrlOf(pool: pg.Pool): string {
  const options = pool.options as { connectionString?: string };
  if (!options.connectionString) throw new Error('the bus pool has no connection string');
  return options.connectionString;
}
