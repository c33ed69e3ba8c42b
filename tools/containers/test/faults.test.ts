import { setTimeout as sleep } from 'node:timers/promises';
import type { CheckoutTally } from '@bazaar/faults/steady-checkouts';
import { describe, expect, test } from 'vitest';
import { docker, dockerEngine } from '../src/docker.js';
import { lossyLink } from '../src/lossy-link.js';
import { shoppersThrough } from '../src/shoppers.js';
import { suiteShop } from '../src/suite-shop.js';

/**
 * Faults of the network between containers, not of a process: a service cut off from the
 * database, from its callers or from NATS (the network is gone, nothing is reset), a slow and
 * lossy link, and a process frozen for longer than stock is held for it.
 */
const engine = dockerEngine();
/** The shortest hold orders allows, so that a frozen inventory outlives it within the test. */
const reservationTtlSeconds = 60;
/** The gateway's upstream timeout (its default): no shopper may wait longer than this. */
const gatewayTimeoutMs = 10_000;
const partitionSeconds = 30;
const suite = suiteShop(engine, {
  services: {
    orders: {
      environment: {
        RESERVATION_TTL_SECONDS: String(reservationTtlSeconds),
        // The sweeper settles what a fault cut off after 10 s rather than 30: a shorter test.
        PENDING_GRACE_SECONDS: '10',
      },
    },
  },
});

/**
 * Shoppers checking out; `fault` starts 3 s in and lasts `seconds`, then is undone, and the
 * shoppers go on for 5 s more.
 */
function checkoutsThrough(fault: () => Promise<() => Promise<void>>, seconds: number) {
  return shoppersThrough(suite, async () => {
    await sleep(3000);
    const undo = await fault();
    await sleep(seconds * 1000);
    await undo();
    await sleep(5000);
  });
}

/** Answers a shopper may get while part of the shop is out of reach: any other is a defect. */
const clean = new Set(['201', '409', '503', '504']);
const unclean = (tally: CheckoutTally) =>
  Object.keys(tally.statuses).filter((status) => !clean.has(status));

describe.skipIf(!engine)('network faults between the containers', () => {
  test.for<{ service: string; from: string; network?: string }>([
    { service: 'orders', from: 'the database', network: 'database' },
    { service: 'payments', from: 'every network (orders too)' },
  ])(
    `$service cut off from $from for ${partitionSeconds} s under load: shoppers get 503 in time, and once it heals every order is settled, nothing charged twice or lost`,
    { timeout: 420_000 },
    async ({ service, network }, { annotate }) => {
      const { tally, violations } = await checkoutsThrough(
        () => suite.shop.project.partition(service, network),
        partitionSeconds,
      );
      await annotate(`answers: ${JSON.stringify(tally.statuses)}, slowest ${tally.slowestMs} ms`);

      expect(unclean(tally)).toEqual([]);
      expect(tally.statuses['503']).toBeGreaterThan(0);
      expect(tally.slowestMs).toBeLessThan(gatewayTimeoutMs + 1000);
      expect(tally.accepted.length).toBeGreaterThan(10);
      expect(violations).toEqual([]);
    },
  );

  test(`notifications cut off from NATS for ${partitionSeconds} s: checkouts go on, and every receipt is sent once after`, async ({
    annotate,
  }) => {
    const receipts = async () =>
      (
        await suite.shop
          .db('notifications')
          .query<{ n: number }>("SELECT count(*)::int AS n FROM messages WHERE kind = 'receipt'")
      ).rows[0]?.n ?? 0;
    let sentWhileCut = 0;
    const { tally, violations } = await checkoutsThrough(async () => {
      const undo = await suite.shop.project.partition('notifications', 'default');
      // What the consumer had fetched before the cut is still applied; then nothing more comes.
      await sleep(5000);
      const before = await receipts();
      return async () => {
        sentWhileCut = (await receipts()) - before;
        await undo();
      };
    }, partitionSeconds);
    await annotate(
      `answers: ${JSON.stringify(tally.statuses)}; receipts written while cut off: ${sentWhileCut}`,
    );

    expect(tally.statuses).toEqual({ '201': tally.accepted.length });
    // The consumer was really cut off: nothing new reached it meanwhile.
    expect(sentWhileCut).toBe(0);
    expect(violations).toEqual([]);
  }, 420_000);

  test('a lossy, slow link between orders and payments (10 % of packets lost and the rest delayed 100 ms ± 50 ms, each way): checkouts slow down, none is lost or doubled', async ({
    annotate,
  }) => {
    const fault = { lossPercent: 10, delayMs: 100, jitterMs: 50 };
    const slow = { from: 0, to: 0 };
    const counted: Array<{ dropped: number; delayed: number }> = [];
    const { tally, violations } = await checkoutsThrough(async () => {
      const links = [
        await lossyLink(suite.shop.project, 'orders', 'payments', fault),
        await lossyLink(suite.shop.project, 'payments', 'orders', fault),
      ];
      slow.from = Date.now();
      return async () => {
        slow.to = Date.now();
        for (const link of links) counted.push(await link.restore());
      };
    }, 30);
    /** The median time of the checkouts that `when` picks (by when asked and answered). */
    const median = (when: (asked: number, answered: number) => boolean) => {
      const times = tally.checkouts
        .filter(({ askedAt, ms }) => when(askedAt, askedAt + ms))
        .map(({ ms }) => ms)
        .sort((a, b) => a - b);
      return times[Math.floor(times.length / 2)] ?? Number.NaN;
    };
    const during = median((asked, answered) => asked >= slow.from && answered <= slow.to);
    const outside = median((asked, answered) => answered < slow.from || asked > slow.to);
    await annotate(
      `answers: ${JSON.stringify(tally.statuses)}; median checkout ${outside} ms on a good link, ${during} ms on the slow one; slowest ${tally.slowestMs} ms; packets dropped and delayed each way: ${JSON.stringify(counted)}`,
    );

    expect(unclean(tally)).toEqual([]);
    // The link really was lossy and slow, both ways.
    for (const { dropped, delayed } of counted) {
      expect(dropped).toBeGreaterThan(0);
      expect(delayed).toBeGreaterThan(dropped);
    }
    // A checkout asks payments at least once, each round trip 200 ms longer on average, 100 ms at
    // least (measured: the median checkout about 140 ms slower).
    expect(during).toBeGreaterThan(outside + 50);
    expect(tally.accepted.length).toBeGreaterThan(10);
    expect(violations).toEqual([]);
  }, 420_000);

  test(`inventory frozen (docker pause) for longer than the ${reservationTtlSeconds} s hold: nothing oversold, nothing held forever`, async ({
    annotate,
  }) => {
    const inventory = await suite.shop.project.container('inventory');
    const { tally, violations } = await checkoutsThrough(async () => {
      await docker('pause', inventory);
      return async () => {
        await docker('unpause', inventory);
      };
    }, reservationTtlSeconds + 10);
    await annotate(`answers: ${JSON.stringify(tally.statuses)}, slowest ${tally.slowestMs} ms`);

    expect(unclean(tally)).toEqual([]);
    expect(tally.slowestMs).toBeLessThan(gatewayTimeoutMs + 1000);
    expect(violations).toEqual([]);
  }, 480_000);
});
