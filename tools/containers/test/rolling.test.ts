import { readFile } from 'node:fs/promises';
import { waitFor } from '@bazaar/testing/until';
import { expect, test } from 'vitest';
import type { Connections } from '../src/compose-shop.js';
import { docker, dockerEngine } from '../src/docker.js';
import { root } from '../src/images.js';
import { shoppersThrough } from '../src/shoppers.js';
import { suiteShop } from '../src/suite-shop.js';

/**
 * Every service at two replicas, the gateway behind compose's load balancer (HAProxy, `edge`) and
 * the rest behind the gateway, each replaced as a Deployment rolls (one more replica first, then
 * an old one stopped) while twenty shoppers buy (docs/resilience.md). Their queries go through
 * PgBouncer to a PostgreSQL of 100 connections, fewer than the services' pools may open.
 */
const engine = dockerEngine();
const services = [
  'gateway',
  'identity',
  'catalog',
  'inventory',
  'cart',
  'orders',
  'payments',
  'notifications',
];
const suite = suiteShop(engine, {
  scale: Object.fromEntries(services.map((service) => [service, 2])),
  services: { orders: { environment: { PENDING_GRACE_SECONDS: '10' } } },
});
/** Requests each replica of each service has answered, probes left out, by `<service> <container>`. */
async function requestsPerReplica(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const service of services) {
    for (const id of await suite.shop.project.containers(service)) {
      const text = await (
        await fetch(`http://${await suite.shop.project.addressOfContainer(id)}:9464/metrics`)
      ).text();
      counts[`${service} ${id.slice(0, 12)}`] = text
        .split('\n')
        .filter(
          (line) =>
            line.startsWith('http_requests_total{') && !/route="\/(healthz|readyz)"/.test(line),
        )
        .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
    }
  }
  return counts;
}

const prefixed = (prefix: string, answers: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(answers).map(([status, count]) => [`${prefix} ${status}`, count]),
  );

/**
 * A service's replicas replaced one at a time, as a Deployment rolls with one surge and none
 * unavailable: a new replica started and ready, then an old one stopped (SIGTERM, its grace
 * period) and removed; twice. Nothing overlaps: compose lists every container of the project on
 * each command and fails on one removed meanwhile ("No such container"), and its --scale would
 * start a replica stopped but not yet removed.
 */
async function replace(service: string): Promise<void> {
  const old = await suite.shop.project.containers(service);
  for (const leaving of old) {
    const before = await suite.shop.project.containers(service);
    await suite.shop.project.run(
      'up',
      '-d',
      '--no-build',
      '--no-deps',
      '--no-recreate',
      '--scale',
      `${service}=${before.length + 1}`,
      service,
    );
    const [fresh] = (await suite.shop.project.containers(service)).filter(
      (id) => !before.includes(id),
    );
    if (!fresh) throw new Error(`no new replica of ${service}`);
    await waitFor(
      () => suite.shop.ready(service, fresh),
      (yes) => yes,
      { timeoutMs: 120_000 },
    );
    await docker('stop', '--time', '20', leaving);
    await docker('rm', leaving);
  }
}

/** PostgreSQL's connections, sampled every half second until stopped; the largest of each figure. */
function sampleConnections(): () => Promise<Connections> {
  const peak: Connections = { total: 0, listeners: 0, pooled: {}, clients: {} };
  const most = (into: Record<string, number>, from: Record<string, number>) => {
    for (const [key, value] of Object.entries(from)) into[key] = Math.max(into[key] ?? 0, value);
  };
  let running = true;
  const sampling = (async () => {
    while (running) {
      const now = await suite.shop.connections();
      peak.total = Math.max(peak.total, now.total);
      peak.listeners = Math.max(peak.listeners, now.listeners);
      most(peak.pooled, now.pooled);
      most(peak.clients, now.clients);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  })();
  return async () => {
    running = false;
    await sampling;
    return peak;
  };
}

test.skipIf(!engine)(
  'every service replaced one replica at a time while 20 shoppers check out: not one request failed, no order lost, PostgreSQL within its connection budget',
  async ({ annotate }) => {
    let spread: Record<string, number> = {};
    const peakConnections = sampleConnections();
    const { tally, violations } = await shoppersThrough(
      suite,
      async (load) => {
        const confirmed = (count: number) =>
          waitFor(load.confirmed, (n) => n >= count, { timeoutMs: 180_000 });
        await confirmed(40);
        spread = await requestsPerReplica();
        // One service at a time: seven (or two) replicas starting together on two cores slowed
        // checkouts past the gateway's 10 s (measured).
        for (const service of services) await replace(service);
        await confirmed(load.confirmed() + 40);
      },
      20,
    );
    const replicas = await requestsPerReplica();
    const peak = await peakConnections();
    const settled = await suite.shop.connections();
    await annotate(
      `PostgreSQL connections at most: ${peak.total} in all, through PgBouncer ${JSON.stringify(peak.pooled)}, LISTEN ${peak.listeners}; the services' connections to PgBouncer at most ${JSON.stringify(peak.clients)}`,
    );
    await annotate(
      `checkouts: ${JSON.stringify(tally.statuses)} ${JSON.stringify(tally.problems)}, cart: ${JSON.stringify(tally.cartAnswers)}, slowest checkout ${tally.slowestMs} ms; requests per replica before: ${JSON.stringify(spread)}`,
    );

    // Both replicas of every service were sent requests, not just the first.
    expect(Object.keys(spread)).toHaveLength(services.length * 2);
    expect(Object.entries(spread).filter(([, requests]) => requests === 0)).toEqual([]);
    // The old replicas are gone, two new ones serve.
    expect(Object.keys(replicas)).toHaveLength(services.length * 2);
    expect(Object.keys(replicas).filter((replica) => replica in spread)).toEqual([]);
    // Not one request failed: every checkout and every cart add was answered 201 or 200.
    const answers = { ...tally.statuses, ...prefixed('cart', tally.cartAnswers) };
    expect(Object.keys(answers).filter((status) => !/^(cart )?20[01]$/.test(status))).toEqual([]);
    expect(violations).toEqual([]);

    // The budget (compose.yaml, deploy/docker/pgbouncer.ini): PgBouncer never held more than its
    // cap on any database, and every replica that publishes (all but cart and notifications,
    // which have no outbox) holds one LISTEN of its own.
    const ini = await readFile(`${root}deploy/docker/pgbouncer.ini`, 'utf8');
    const cap = Number(/^max_db_connections = (\d+)$/m.exec(ini)?.[1]);
    expect(Object.keys(peak.pooled)).toHaveLength(7);
    expect(Object.entries(peak.pooled).filter(([, held]) => held > cap)).toEqual([]);
    expect(settled.listeners).toBe(5 * 2);
    expect(peak.total).toBeLessThanOrEqual(100 - 3);
  },
  900_000,
);
