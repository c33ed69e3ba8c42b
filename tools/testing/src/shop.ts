import { randomBytes, randomUUID } from 'node:crypto';
import { migrate } from '@bazaar/db/migrations';
import type { Pool } from '@bazaar/db/pool';
import { createTestDatabase, type TestDatabase } from '@bazaar/db/test-database';
import { migrationsOf } from '@bazaar/launcher/databases';
import {
  type ServiceProcess,
  spawnService,
  stopService,
  waitUntilReady,
} from '@bazaar/launcher/service-process';
import { type Shop, serviceClients, services } from '@bazaar/launcher/services';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { freePort } from './free-port.js';

export type RunningShop = {
  /** The gateway: tests speak to the shop as a browser would. */
  url: string;
  /** A service's own address, for what only operators reach (/readyz). */
  urlOf: (service: string) => string;
  /** A service's /metrics, on its port of its own. */
  metricsUrlOf: (service: string) => string;
  /** A service's own database, for assertions a client could not make. */
  db: (service: string) => Pool;
  /** Sends a signal to a service's process: SIGKILL crashes it, SIGSTOP freezes it. */
  signal: (service: string, signal: NodeJS.Signals) => void;
  /** Starts a service that was killed again, with the same settings, and waits until it is ready. */
  restart: (service: string) => Promise<void>;
  /**
   * The value of the first sample of metric `name` on a service's /metrics whose labels include
   * `labels` (such as `type="order.confirmed.v1"`), 0 when there is none.
   */
  metric: (service: string, name: string, labels?: string) => Promise<number>;
  /** Each service's process start time: unchanged means no service was restarted. */
  startTimes: () => Promise<Record<string, number>>;
  /** Everything the services printed, for a failing test to show. */
  output: () => string;
  stop: () => Promise<void>;
};

const root = new URL('../../../', import.meta.url);

/**
 * The whole shop as separate processes, as `npm start` runs it: each service from its bundle, on
 * its own port and fresh database (seeded as the launcher seeds them), events on a fresh PostgreSQL
 * log, or on a stream of its own on `options.natsUrl` (NATS_URL by default). `env` adds settings per service. It is
 * handed over settled: what the seeds announced (the stock of every SKU) has reached its consumers.
 */
export async function startShop(
  postgresUrl: string,
  env: Readonly<Record<string, Record<string, string>>> = {},
  options: { natsUrl?: string | undefined } = { natsUrl: process.env.NATS_URL },
): Promise<RunningShop> {
  const ports = new Map<string, number>();
  const metricsPorts = new Map<string, number>();
  for (const spec of services) {
    ports.set(spec.name, await freePort());
    metricsPorts.set(spec.name, await freePort());
  }
  const urlOf = (name: string) => `http://127.0.0.1:${ports.get(name)}`;
  const metricsUrlOf = (name: string) => `http://127.0.0.1:${metricsPorts.get(name)}/metrics`;
  const shop: Shop = {
    urlOf,
    clientSecrets: Object.fromEntries(
      serviceClients.map((name) => [name, randomBytes(24).toString('base64url')]),
    ),
  };
  const databases = new Map<string, TestDatabase>();
  const { natsUrl } = options;
  const stream = `shop_${randomUUID().slice(0, 8)}`;
  let bus: Record<string, string>;
  if (natsUrl) {
    bus = { NATS_URL: natsUrl, NATS_STREAM: stream };
  } else {
    const busDatabase = await createTestDatabase(postgresUrl);
    await migrate(busDatabase.pool, migrationsOf(root, 'bus'));
    databases.set('bus', busDatabase);
    // An empty NATS_URL counts as unset: a NATS_URL the test run inherited must not win.
    bus = { BUS_DATABASE_URL: busDatabase.url, NATS_URL: '' };
  }
  const settings = new Map<string, NodeJS.ProcessEnv>();
  for (const spec of services) {
    const variables: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(ports.get(spec.name)),
      METRICS_PORT: String(metricsPorts.get(spec.name)),
      // One process of each, as under `npm start`: nothing to drain to.
      SHUTDOWN_DRAIN_MS: '0',
      ...bus,
      ...spec.env?.(shop),
      ...env[spec.name],
    };
    if (spec.database) {
      const database = await createTestDatabase(postgresUrl, {
        migrations: migrationsOf(root, spec.name),
      });
      await spec.database.seed?.(database.pool);
      databases.set(spec.name, database);
      variables.DATABASE_URL = database.url;
    }
    settings.set(spec.name, variables);
  }

  let printed = '';
  const print = (line: string) => {
    printed += `${line}\n`;
  };
  const running = new Map<string, ServiceProcess>();
  const launch = async (name: string) => {
    const service = spawnService(
      root,
      { name, url: urlOf(name), env: settings.get(name) ?? {} },
      print,
    );
    running.set(name, service);
    await waitUntilReady(service, Date.now() + 30_000);
  };
  const stop = async () => {
    await Promise.all([...running.values()].map((service) => stopService(service, 5000)));
    for (const database of databases.values()) await database.drop();
    if (natsUrl) {
      const connection = await connect({ servers: natsUrl });
      await (await jetstreamManager(connection)).streams.delete(stream).catch(() => undefined);
      await connection.close();
    }
  };
  const metric = (service: string, name: string, labels = '') =>
    scrapeMetric(metricsUrlOf(service), name, labels);
  try {
    await Promise.all(services.map((spec) => launch(spec.name)));
    await waitUntilSettled(services.map((spec) => metricsUrlOf(spec.name)));
  } catch (error) {
    await stop();
    throw new Error(`the shop did not start: ${(error as Error).message}\n${printed}`);
  }
  return {
    url: urlOf('gateway'),
    urlOf,
    metricsUrlOf,
    db: (service) => {
      const database = databases.get(service);
      if (!database) throw new Error(`${service} has no database`);
      return database.pool;
    },
    signal: (service, signal) => {
      running.get(service)?.child.kill(signal);
    },
    restart: async (service) => {
      await running.get(service)?.exited;
      await launch(service);
    },
    metric,
    startTimes: async () =>
      Object.fromEntries(
        await Promise.all(
          services.map(async ({ name }) => [
            name,
            await metric(name, 'process_start_time_seconds'),
          ]),
        ),
      ),
    output: () => printed,
    stop,
  };
}

/**
 * The value of the first sample of metric `name` at a /metrics URL whose labels include `labels`
 * (such as `type="order.confirmed.v1"`), 0 when there is none.
 */
export async function scrapeMetric(url: string, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(url)).text();
  const line = text
    .split('\n')
    .find((candidate) => candidate.startsWith(`${name}{`) && candidate.includes(labels));
  return Number(line?.split(' ').at(-1) ?? 0);
}

/**
 * Waits until no event waits in an outbox and no consumer is behind, as each service's /metrics
 * tells, so a test starts from a shop whose catalog already knows what is in stock.
 */
async function waitUntilSettled(metricsUrls: readonly string[], timeoutMs = 30_000): Promise<void> {
  const backlog = /^bazaar_(outbox_pending_events|consumer_lag_events)\{[^}]*\} (\d+)/gm;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const texts = await Promise.all(metricsUrls.map(async (url) => (await fetch(url)).text()));
    const waiting = texts.reduce(
      (sum, text) =>
        sum + [...text.matchAll(backlog)].reduce((n, match) => n + Number(match[2]), 0),
      0,
    );
    if (waiting === 0) return;
    if (Date.now() > deadline)
      throw new Error(`${waiting} events still undelivered after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
