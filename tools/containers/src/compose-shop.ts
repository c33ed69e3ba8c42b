import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CartCheckout } from '@bazaar/faults/ledger';
import { services } from '@bazaar/launcher/services';
import { freePort } from '@bazaar/testing/free-port';
import { scrapeMetric } from '@bazaar/testing/shop';
import { type SmtpSink, startSmtpSink } from '@bazaar/testing/smtp-sink';
import { waitFor } from '@bazaar/testing/until';
import { Redis } from 'ioredis';
import pg from 'pg';
import { type ComposeProject, composeProject, docker } from './docker.js';
import { buildSuiteImage, root, suiteImages } from './images.js';

export const image = suiteImages.shop.tag;
/** compose.yaml's dev-only superuser password. */
const postgresPassword = 'dev-only-postgres-password';

export type ComposeShop = {
  project: ComposeProject;
  /** The gateway's published port, as a browser on this machine opens it. */
  url: string;
  prometheusUrl: string;
  smtp: SmtpSink;
  /** A service's own database, for the ledger. */
  db: (service: string) => pg.Pool;
  metric: (service: string, name: string, labels?: string) => Promise<number>;
  /** What each checkout took from a cart: compose keeps carts in Redis (`cart:<owner>:checkouts`). */
  cartCheckouts: () => Promise<CartCheckout[]>;
  /** Who holds PostgreSQL's connections now, and how many of the services' PgBouncer serves. */
  connections: () => Promise<Connections>;
  /** Whether the container `id` of `service` answers its /readyz. */
  ready: (service: string, id: string) => Promise<boolean>;
  /** Seconds from `up` to the first 200 on /api/products. */
  startSeconds: number;
  down: () => Promise<void>;
};

export type Connections = {
  /** PostgreSQL's client connections, all told. */
  total: number;
  /** Those PgBouncer holds, by database. */
  pooled: Record<string, number>;
  /** Those the outbox relays LISTEN on (one a replica, straight to PostgreSQL). */
  listeners: number;
  /** The services' connections to PgBouncer, by database. */
  clients: Record<string, number>;
};

/** The base image the Dockerfile's runtime stage starts from. */
export async function runtimeBase(): Promise<string> {
  const dockerfile = await readFile(`${root}deploy/docker/Dockerfile`, 'utf8');
  const base = /^FROM (\S+) AS runtime/m.exec(dockerfile)?.[1];
  if (!base) throw new Error('the Dockerfile names no runtime base');
  return base;
}

/**
 * compose.yaml (with compose.offline.yaml: no registry here) up as a project of its own, its
 * published ports free ones, its mail going to an SMTP server of the test's; once the gateway
 * serves the product list and every replica of every service says it is ready. `files` (the
 * project's own, such as deploy/docker/compose.nats-cluster.yaml)
 * are laid over compose.yaml, then `services`, as one more compose file; `scale` runs that many
 * replicas of a service.
 */
export async function startComposeShop(
  options: {
    files?: string[];
    services?: Record<string, object>;
    scale?: Record<string, number>;
  } = {},
): Promise<ComposeShop> {
  await Promise.all([buildSuiteImage('shop'), buildSuiteImage('pgbouncer')]);
  // Where containers reach the host: host.docker.internal, as a container resolves it.
  const [hostAddress = ''] = (
    await docker(
      'run',
      '--rm',
      '--add-host',
      'host.docker.internal:host-gateway',
      '--entrypoint',
      'getent',
      image,
      'hosts',
      'host.docker.internal',
    )
  ).split(/\s+/);
  const smtp = await startSmtpSink(hostAddress);
  const [httpPort, prometheusPort] = [await freePort(), await freePort()];
  const scratch = await mkdtemp(join(tmpdir(), 'bazaar-compose-'));
  // JSON is YAML: compose reads the test's own settings as one more file.
  const overrides = join(scratch, 'compose.test.yaml');
  if (options.services) await writeFile(overrides, JSON.stringify({ services: options.services }));
  const project = composeProject({
    name: `bazaar-test-${randomUUID().slice(0, 8)}`,
    files: [
      'compose.yaml',
      'deploy/docker/compose.offline.yaml',
      ...(options.files ?? []),
      ...(options.services ? [overrides] : []),
    ],
    cwd: root,
    env: {
      BAZAAR_HTTP_PORT: String(httpPort),
      BAZAAR_PROMETHEUS_PORT: String(prometheusPort),
      BAZAAR_SMTP_URL: smtp.url.replace(hostAddress, 'host.docker.internal'),
    },
  });
  const pools = new Map<string, pg.Pool>();
  let redis: Redis | undefined;
  const down = async () => {
    for (const pool of pools.values()) await pool.end();
    redis?.disconnect();
    await project
      .run('down', '--volumes', '--remove-orphans', '--timeout', '20')
      .catch((error: Error) => {
        // Docker 20.10 sometimes keeps a removed container's endpoint on a network, which then
        // cannot be removed until the engine restarts: the containers and volumes are gone, and
        // an empty network of a project no one will start again is left, named here.
        if (!/has active endpoints/.test(error.message)) throw error;
        process.stderr.write(
          `compose down left a network behind: ${/network (\S+) id/.exec(error.message)?.[1]}\n`,
        );
      });
    await smtp.close();
    await rm(scratch, { recursive: true, force: true });
  };
  /** Whether a service's container answers /readyz on its port (compose.yaml's, the launcher's). */
  const ready = async (service: string, id: string) => {
    const spec = services.find((candidate) => candidate.name === service);
    if (!spec) throw new Error(`${service} is not a service of the shop`);
    const address = await project.addressOfContainer(id);
    return fetch(`http://${address}:${8080 + spec.portOffset}/readyz`, {
      signal: AbortSignal.timeout(2000),
    }).then(
      (response) => response.ok,
      () => false,
    );
  };
  const up = Date.now();
  let firstAnswer = up;
  try {
    await project.run(
      'up',
      '-d',
      '--no-build',
      ...Object.entries(options.scale ?? {}).flatMap(([service, n]) => [
        '--scale',
        `${service}=${n}`,
      ]),
    );
    await waitFor(
      () =>
        fetch(`http://127.0.0.1:${httpPort}/api/products?limit=1`).then(
          (response) => response.status,
          () => 0,
        ),
      (status) => status === 200,
      { timeoutMs: 180_000 },
    );
    firstAnswer = Date.now();
    // The product list answers once the gateway and catalog are ready; another service may still
    // be starting (identity waits for every server of a NATS cluster): wait for each replica's
    // /readyz, as a load balancer would before sending it anything.
    for (const { name } of services) {
      for (const id of await project.containers(name)) {
        await waitFor(
          () => ready(name, id),
          (yes) => yes,
          { timeoutMs: 120_000 },
        );
      }
    }
  } catch (error) {
    await down();
    throw error;
  }
  const postgres = await project.addressOf('postgres', 'database');
  const pgbouncer = await project.addressOf('pgbouncer', 'database');
  const server = new pg.Pool({
    connectionString: `postgres://postgres:${postgresPassword}@${postgres}:5432/postgres`,
    max: 1,
  });
  pools.set('postgres', server);
  return {
    project,
    url: `http://localhost:${httpPort}`,
    prometheusUrl: `http://127.0.0.1:${prometheusPort}`,
    smtp,
    startSeconds: (firstAnswer - up) / 1000,
    ready,
    db: (service) => {
      let pool = pools.get(service);
      if (!pool) {
        pool = new pg.Pool({
          connectionString: `postgres://postgres:${postgresPassword}@${postgres}:5432/bazaar_${service}`,
          max: 2,
        });
        pools.set(service, pool);
      }
      return pool;
    },
    connections: async () => {
      const { rows } = await server.query<{
        datname: string;
        pooled: number;
        listeners: number;
        total: number;
      }>(
        `SELECT datname,
                count(*) FILTER (WHERE client_addr = $1::inet)::int AS pooled,
                count(*) FILTER (WHERE application_name LIKE '%-outbox-listener')::int AS listeners,
                count(*)::int AS total
           FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname IS NOT NULL
          GROUP BY datname`,
        [pgbouncer],
      );
      // PgBouncer's console speaks the simple protocol only: a query without parameters.
      const admin = new pg.Client(
        `postgres://postgres:${postgresPassword}@${pgbouncer}:6432/pgbouncer`,
      );
      await admin.connect();
      const shown = await admin
        .query<{ database: string; cl_active: string; cl_waiting: string }>('SHOW POOLS')
        .finally(() => admin.end());
      const sum = (key: 'pooled' | 'listeners' | 'total') =>
        rows.reduce((total, row) => total + row[key], 0);
      return {
        total: sum('total'),
        listeners: sum('listeners'),
        pooled: Object.fromEntries(
          rows.filter((row) => row.pooled > 0).map((row) => [row.datname, row.pooled]),
        ),
        clients: Object.fromEntries(
          shown.rows
            .filter((row) => row.database !== 'pgbouncer')
            .map((row) => [row.database, Number(row.cl_active) + Number(row.cl_waiting)]),
        ),
      };
    },
    cartCheckouts: async () => {
      redis ??= new Redis(`redis://${await project.addressOf('redis')}:6379`);
      const checkouts: CartCheckout[] = [];
      for await (const keys of redis.scanStream({ match: 'cart:*:checkouts', count: 500 })) {
        for (const key of keys as string[]) {
          for (const [orderId, value] of Object.entries(await redis.hgetall(key))) {
            const { state, lines } = JSON.parse(value) as Omit<CartCheckout, 'order_id'>;
            checkouts.push({ order_id: orderId, state, lines });
          }
        }
      }
      return checkouts;
    },
    metric: async (service, name, labels) =>
      scrapeMetric(`http://${await project.addressOf(service)}:9464/metrics`, name, labels),
    down,
  };
}
