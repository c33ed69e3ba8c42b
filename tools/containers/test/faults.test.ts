import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ledgerViolations } from '@bazaar/faults/ledger';
import { type CheckoutTally, startSteadyCheckouts } from '@bazaar/faults/steady-checkouts';
import { signUpBuyers } from '@bazaar/testing/tuned-shop';
import { waitFor } from '@bazaar/testing/until';
import { describe, expect, test } from 'vitest';
import { docker, dockerEngine } from '../src/docker.js';
import { buildSuiteImage } from '../src/images.js';
import { lossyLink } from '../src/lossy-link.js';
import { shoppersThrough } from '../src/shoppers.js';
import { suiteShop } from '../src/suite-shop.js';

/**
 * Faults on one compose shop whose bus is a cluster, as a shop runs it
 * (deploy/docker/compose.nats-cluster.yaml: three JetStream servers, the stream on all three), one
 * after another. Of the bus: a node stops, and later another is cut off. Of the network between
 * containers: a service cut off from the database, from its callers or from NATS (the network is
 * gone, nothing is reset), a slow and lossy link, a process frozen for longer than stock is held
 * for it. Then of the processes: stopped and killed as an orchestrator and the kernel stop and
 * kill them (the memory limit last: it stays on cart).
 */
const engine = dockerEngine();
/** Past the gateway's timeout and the sweeper's grace: checkouts cut off with stock taken. */
const inventoryFrozenSeconds = 70;
/** The gateway's upstream timeout (its default): no shopper may wait longer than this. */
const gatewayTimeoutMs = 10_000;
const partitionSeconds = 30;
// Built while the shop starts; a failure surfaces in the test that needs it.
if (engine) buildSuiteImage('netfaults').catch(() => undefined);
const suite = suiteShop(engine, {
  files: ['deploy/docker/compose.nats-cluster.yaml'],
  services: {
    orders: {
      environment: {
        // The sweeper settles what a fault cut off after 10 s rather than 30, looking every
        // second rather than every 5: a shorter test.
        PENDING_GRACE_SECONDS: '10',
        ORDER_SWEEP_INTERVAL_MS: '1000',
      },
    },
    // One shop takes every fault in turn, and each test's sign-ups (the admin reads each
    // buyer's mail) add up past the 120 requests a minute a signed-in client may send; the
    // limit is the security suite's to test, not this one's.
    gateway: { environment: { RATE_LIMIT_PER_MINUTE: '100000000' } },
  },
});

/** compose service ↔ NATS server name. */
const nodes: Record<string, string> = { nats: 'nats-1', 'nats-2': 'nats-2', 'nats-3': 'nats-3' };
const checkouts = 200;

type Cluster = { leader?: string; replicas?: Array<{ name: string; current: boolean }> };
type StreamReport = {
  name: string;
  config: { num_replicas: number };
  cluster: Cluster;
  consumer_detail?: Array<{
    name: string;
    num_pending: number;
    num_ack_pending: number;
    cluster: Cluster;
  }>;
};

/** What one node's monitoring port says of the `bazaar` stream and its consumers, if it answers. */
async function streamOn(service: string): Promise<StreamReport | undefined> {
  const address = await suite.shop.project.addressOf(service).catch(() => '');
  if (!address) return undefined;
  const jsz = (await fetch(
    `http://${address}:8222/jsz?accounts=true&streams=true&consumers=true&config=true`,
    { signal: AbortSignal.timeout(2000) },
  )
    .then((response) => response.json())
    .catch(() => undefined)) as
    | { account_details?: Array<{ stream_detail?: StreamReport[] }> }
    | undefined;
  return jsz?.account_details
    ?.flatMap((account) => account.stream_detail ?? [])
    .find(({ name }) => name === 'bazaar');
}

/** Each node's report; only a leader knows whether its followers are current. */
const reports = () =>
  Promise.all(
    Object.keys(nodes).map(async (service) => ({ service, report: await streamOn(service) })),
  );

/** The service whose node leads the stream, once one is elected and both followers are current. */
async function settledLeader(): Promise<string> {
  const leaderNow = async () => {
    const leading = (await reports()).find(
      ({ service, report }) => report?.cluster.leader === nodes[service],
    );
    const followers = leading?.report?.cluster.replicas ?? [];
    return {
      leader: leading?.service,
      followers: followers.map(({ name, current }) => `${name}${current ? '' : ' (behind)'}`),
    };
  };
  const { leader } = await waitFor(
    leaderNow,
    (now) =>
      now.leader !== undefined &&
      now.followers.length === 2 &&
      !now.followers.join().includes('behind'),
    { timeoutMs: 90_000 },
  );
  return leader as string;
}

/**
 * Consumers, as the node leading each reports them, that still have events to deliver or acks
 * to wait for; a node that does not answer counts as behind, since it may lead some of them.
 */
async function consumersBehind(): Promise<string[]> {
  return (await reports()).flatMap(({ service, report }) =>
    report === undefined
      ? [`${nodes[service]}: no report`]
      : (report.consumer_detail ?? [])
          .filter((consumer) => consumer.cluster.leader === nodes[service])
          .filter((consumer) => consumer.num_pending + consumer.num_ack_pending > 0)
          .map(
            (consumer) =>
              `${consumer.name}: ${consumer.num_pending} pending, ${consumer.num_ack_pending} unacked`,
          ),
  );
}

test.skipIf(!engine)(
  `the bus: ${checkouts} checkouts while the stream's leader stops, then another node is cut off: every event applied once by every consumer, nothing dead-lettered`,
  async ({ annotate }) => {
    expect((await streamOn('nats'))?.config.num_replicas).toBe(3);
    const faults: string[] = [];
    const { tally, violations } = await shoppersThrough(suite, async (load) => {
      const confirmed = (count: number) =>
        waitFor(load.confirmed, (n) => n >= count, { timeoutMs: 180_000 });
      await confirmed(checkouts * 0.2);
      const stopped = await settledLeader();
      await suite.shop.project.run('stop', stopped);
      faults.push(`${nodes[stopped]} (leader) stopped`);
      await confirmed(checkouts * 0.45);
      await suite.shop.project.run('start', stopped);
      const leader = await settledLeader();
      // The node that leads now, so that a second election happens while shoppers buy.
      const undo = await suite.shop.project.partition(leader);
      faults.push(`${nodes[leader]} (leader) cut off`);
      await confirmed(checkouts * 0.75);
      await undo();
      await confirmed(checkouts);
    });
    // The healed cluster elects again (the cut-off node comes back with a newer term), and for a
    // while after, publishes may find no JetStream responders: the outboxes hold those events.
    // The bus is whole again when a new sign-up's mail gets through; the next test's shoppers
    // sign up only then.
    await settledLeader();
    const healed = performance.now();
    await waitFor(
      () =>
        suite.client.newCustomer().then(
          () => true,
          () => false,
        ),
      (through) => through,
      { timeoutMs: 180_000 },
    );
    faults.push(
      `a sign-up's mail through ${((performance.now() - healed) / 1000).toFixed(0)} s after`,
    );
    // Every consumer has had every event and acknowledged it.
    const behind = await waitFor(consumersBehind, (list) => list.length === 0, {
      timeoutMs: 60_000,
    }).catch(consumersBehind);
    await annotate(
      `${faults.join(', then ')}; answers: ${JSON.stringify(tally.statuses)}, slowest ${tally.slowestMs} ms`,
    );

    expect(tally.accepted.length).toBeGreaterThanOrEqual(checkouts);
    // Checkouts do not wait on the bus: the outbox holds the events while it elects a leader.
    expect(tally.statuses).toEqual({ '201': tally.accepted.length });
    expect(violations).toEqual([]);
    expect(behind).toEqual([]);
  },
  600_000,
);

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

  test(`inventory frozen (docker pause) for ${inventoryFrozenSeconds} s: nothing oversold, nothing held forever`, async ({
    annotate,
  }) => {
    const inventory = await suite.shop.project.container('inventory');
    const { tally, violations } = await checkoutsThrough(async () => {
      await docker('pause', inventory);
      return async () => {
        await docker('unpause', inventory);
      };
    }, inventoryFrozenSeconds);
    await annotate(`answers: ${JSON.stringify(tally.statuses)}, slowest ${tally.slowestMs} ms`);

    expect(unclean(tally)).toEqual([]);
    expect(tally.slowestMs).toBeLessThan(gatewayTimeoutMs + 1000);
    expect(violations).toEqual([]);
  }, 480_000);
});

const state = async (service: string, field: string) =>
  docker('inspect', '--format', `{{${field}}}`, await suite.shop.project.container(service));

describe.skipIf(!engine)('containers stopped and killed', () => {
  test('docker stop of orders with checkouts in flight: every one of them finishes, and orders ends within its grace period', async ({
    annotate,
  }) => {
    const sku = await suite.client.stockedSku(suite.admin, 1000);
    const buyers = await signUpBuyers(suite.client, 6, 6);
    await Promise.all(buyers.map((token) => suite.client.cartWith(token, sku, 1)));
    // Payments frozen: the checkouts wait in orders, in flight, until it thaws.
    await docker('pause', await suite.shop.project.container('payments'));
    const checkouts = buyers.map((token) => suite.client.checkout(token, randomUUID()));
    await waitFor(
      () => suite.shop.metric('orders', 'bazaar_checkouts_in_flight'),
      (inFlight) => inFlight === buyers.length,
      { timeoutMs: 15_000 },
    );

    const stopping = Date.now();
    const stopped = docker('stop', '--time', '20', await suite.shop.project.container('orders'));
    await sleep(1000);
    await docker('unpause', await suite.shop.project.container('payments'));
    const answers = await Promise.all(checkouts);
    await stopped;
    const stopSeconds = (Date.now() - stopping) / 1000;
    await annotate(
      `orders stopped in ${stopSeconds.toFixed(1)} s with ${buyers.length} checkouts in flight`,
    );

    expect(answers.map((answer) => answer.status)).toEqual(buyers.map(() => 201));
    expect(stopSeconds).toBeLessThan(20);
    expect(await state('orders', '.State.ExitCode')).toBe('0');
    await docker('start', await suite.shop.project.container('orders'));
    await waitFor(
      () => state('orders', '.State.Health.Status'),
      (health) => health === 'healthy',
      {
        timeoutMs: 90_000,
      },
    );
    expect(
      await ledgerViolations(suite.shop, {
        accepted: answers.map((answer) => answer.body.id),
        initialStock: new Map([[sku, 1000]]),
      }),
    ).toEqual([]);
  }, 240_000);

  test('orders killed with SIGKILL 5 times under steady checkouts: the restart policy brings it back each time, and the ledger holds', async ({
    annotate,
  }) => {
    const initialStock = new Map([[await suite.client.stockedSku(suite.admin, 100_000), 100_000]]);
    const buyers = await signUpBuyers(suite.client, 8, 8);
    const load = startSteadyCheckouts(suite.client, buyers, [...initialStock.keys()]);
    // `docker kill` counts as a stop asked for, which the restart policy respects; a crash is the
    // process dying, here by the kernel's SIGKILL.
    for (let kill = 0; kill < 5; kill += 1) {
      await sleep(1500 + Math.random() * 1500);
      const restarts = Number(await state('orders', '.RestartCount'));
      process.kill(Number(await state('orders', '.State.Pid')), 'SIGKILL');
      await waitFor(
        async () => Number(await state('orders', '.RestartCount')),
        (count) => count > restarts,
        { timeoutMs: 30_000 },
      );
      await waitFor(
        () => state('orders', '.State.Running'),
        (running) => running === 'true',
        {
          timeoutMs: 30_000,
        },
      );
    }
    await sleep(3000);
    const tally = await load.stop();
    await annotate(`answers during the kills: ${JSON.stringify(tally.statuses)}`);

    expect(tally.accepted.length).toBeGreaterThan(10);
    expect(await ledgerViolations(suite.shop, { ...tally, initialStock })).toEqual([]);
  }, 300_000);

  test('cart over its memory limit under load is killed by the kernel (OOM), restarts by its policy, and every cart is intact', async ({
    annotate,
  }) => {
    const sku = await suite.client.stockedSku(suite.admin, 1000);
    const buyers = await signUpBuyers(suite.client, 10, 10);
    await Promise.all(buyers.map((token, index) => suite.client.cartWith(token, sku, index + 1)));
    const cartOf = async (token: string) =>
      (await suite.client.call('GET', '/api/cart', { bearer: token })).body.items;
    const before = await Promise.all(buyers.map(cartOf));

    // A limit 40 MB above what cart uses now; then 200 requests of nearly a megabyte each at once,
    // straight at cart (its body limit is 1 MB): their bodies alone pass it.
    const cart = await suite.shop.project.container('cart');
    // cgroup v2 (memory.current) or v1 (memory/memory.usage_in_bytes).
    const usage = Number(
      await docker(
        'exec',
        cart,
        'bash',
        '-c',
        'cat /sys/fs/cgroup/memory.current 2>/dev/null || cat /sys/fs/cgroup/memory/memory.usage_in_bytes',
      ),
    );
    const limit = String(usage + 40 * 2 ** 20);
    await docker('update', '--memory', limit, '--memory-swap', limit, cart);
    const address = await suite.shop.project.addressOf('cart');
    const body = JSON.stringify({ sku: 'X'.repeat(1_000_000 - 100), quantity: 1 });
    const [token = ''] = buyers;
    const flood = await Promise.all(
      Array.from({ length: 200 }, () =>
        fetch(`http://${address}:8084/api/cart/items`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body,
        }).then(
          (response) => response.status,
          () => 'no answer',
        ),
      ),
    );
    await waitFor(
      () => state('cart', '.State.OOMKilled'),
      (killed) => killed === 'true',
      { timeoutMs: 30_000 },
    );
    await waitFor(
      async () =>
        `${await state('cart', '.State.Running')} ${await state('cart', '.RestartCount')}`,
      (running) => running.startsWith('true') && running !== 'true 0',
      { timeoutMs: 60_000 },
    );
    const answers: Record<string, number> = {};
    for (const status of flood) answers[status] = (answers[status] ?? 0) + 1;
    await annotate(
      `cart used ${Math.round(usage / 2 ** 20)} MB, limit ${Math.round(Number(limit) / 2 ** 20)} MB; the flood was answered ${JSON.stringify(answers)}`,
    );

    await waitFor(
      () => Promise.all(buyers.map(cartOf)).catch(() => undefined),
      (after) => JSON.stringify(after) === JSON.stringify(before),
      { timeoutMs: 60_000 },
    );
    const bought = await suite.client.checkout(buyers[1] ?? '', randomUUID());
    expect(bought.status).toBe(201);
    expect(bought.body.lines).toEqual([expect.objectContaining({ sku, quantity: 2 })]);
  }, 300_000);
});
