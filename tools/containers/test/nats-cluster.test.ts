import { waitFor } from '@bazaar/testing/until';
import { expect, test } from 'vitest';
import { dockerEngine } from '../src/docker.js';
import { shoppersThrough } from '../src/shoppers.js';
import { suiteShop } from '../src/suite-shop.js';

/**
 * The bus as a shop runs it (deploy/docker/compose.nats-cluster.yaml): three JetStream servers,
 * the stream on all three. A node stops, and later another is cut off, while shoppers buy.
 */
const engine = dockerEngine();
const suite = suiteShop(engine, {
  files: ['deploy/docker/compose.nats-cluster.yaml'],
  // The sweeper settles what a fault cut off after 10 s rather than 30: a shorter test.
  services: { orders: { environment: { PENDING_GRACE_SECONDS: '10' } } },
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

/** Consumers, as the node leading each reports them, that still have events to deliver or acks to wait for. */
async function consumersBehind(): Promise<string[]> {
  return (await reports()).flatMap(({ service, report }) =>
    (report?.consumer_detail ?? [])
      .filter((consumer) => consumer.cluster.leader === nodes[service])
      .filter((consumer) => consumer.num_pending + consumer.num_ack_pending > 0)
      .map(
        (consumer) =>
          `${consumer.name}: ${consumer.num_pending} pending, ${consumer.num_ack_pending} unacked`,
      ),
  );
}

test.skipIf(!engine)(
  `${checkouts} checkouts while the stream's leader stops, then another node is cut off: every event applied once by every consumer, nothing dead-lettered`,
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
