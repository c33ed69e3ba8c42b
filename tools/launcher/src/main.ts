import { randomBytes } from 'node:crypto';
import { embeddedDataDirOf, type LauncherConfig, readConfig } from './config.js';
import { prepareDatabase } from './databases.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.js';
import { findTakenPort } from './ports.js';
import {
  type ServiceProcess,
  spawnService,
  stopService,
  waitUntilReady,
} from './service-process.js';
import { type Shop, serviceClients, services } from './services.js';

const root = new URL('../../../', import.meta.url);
const metricsPortDistance = 1000;
const startedAt = performance.now();
const print = (line: string) => process.stdout.write(`${line}\n`);
const say = (line: string) => print(`launcher  | ${line}`);

/** Set as soon as a start begins, so a Ctrl-C during start-up still stops the server. */
let postgres: Promise<EmbeddedPostgres> | undefined;
const running: ServiceProcess[] = [];
let stopped: Promise<never> | undefined;
const isStopping = () => stopped !== undefined;

/** Stops the services, then PostgreSQL, then exits; every caller shares the one stop. */
function shutdown(exitCode: number): Promise<never> {
  stopped ??= (async () => {
    if (postgres || running.length > 0) {
      say('stopping…');
      await Promise.all(running.map((service) => stopService(service, 9000)));
      await (await postgres?.catch(() => undefined))?.stop();
      say('stopped');
    }
    process.exit(exitCode);
  })();
  return stopped;
}

function fail(message: string): Promise<never> {
  // Once a stop was asked for, services ending is expected, not a failure to report.
  if (!isStopping()) console.error(`launcher: ${message}`);
  return shutdown(1);
}

async function startPostgres(config: LauncherConfig): Promise<string> {
  if (config.DATABASE_URL) return config.DATABASE_URL;
  postgres = startEmbeddedPostgres({
    dataDir: embeddedDataDirOf(config, root),
    port: config.BAZAAR_PG_PORT,
    // Routine LOG lines would drown the services' output; problems still show.
    log: (line) => {
      if (/\b(WARNING|ERROR|FATAL|PANIC):/.test(line)) print(`postgres  | ${line}`);
    },
  });
  return (await postgres).url;
}

async function start(): Promise<void> {
  let config: Readonly<LauncherConfig>;
  try {
    config = readConfig();
  } catch (error) {
    return fail((error as Error).message);
  }
  const portOf = (name: string) =>
    config.BAZAAR_PORT_BASE + (services.find((spec) => spec.name === name)?.portOffset ?? 0);
  const urlOf = (name: string) => `http://127.0.0.1:${portOf(name)}`;
  // Each service's /metrics is on a port of its own, never routed by the gateway.
  const metricsPortOf = (name: string) => portOf(name) + metricsPortDistance;

  const taken = await findTakenPort(
    services.flatMap((spec) => [
      { port: portOf(spec.name), owner: spec.name },
      { port: metricsPortOf(spec.name), owner: `${spec.name} metrics` },
    ]),
  );
  if (taken) {
    return fail(
      `port ${taken.port} (${taken.owner}) is already in use; stop what holds it, or set BAZAAR_PORT_BASE to move every service`,
    );
  }
  const shop: Shop = {
    urlOf,
    clientSecrets: Object.fromEntries(
      serviceClients.map((name) => [name, randomBytes(24).toString('base64url')]),
    ),
  };
  const serverUrl = await startPostgres(config);
  const databases = { root, serverUrl, prefix: config.BAZAAR_DB_PREFIX, log: say };
  // Without NATS, events travel through a log in the `bus` database.
  const bus = config.NATS_URL
    ? {}
    : {
        BUS_DATABASE_URL: await prepareDatabase({ ...databases, name: 'bus' }),
      };
  for (const spec of services) {
    if (isStopping()) return;
    const { DATABASE_URL: _serverUrl, ...inherited } = process.env;
    const env: NodeJS.ProcessEnv = {
      ...inherited,
      NODE_ENV: process.env.NODE_ENV ?? 'development',
      LOG_LEVEL: config.LOG_LEVEL,
      HOST: '127.0.0.1',
      PORT: String(portOf(spec.name)),
      METRICS_PORT: String(metricsPortOf(spec.name)),
      // One process of each: no other replica for clients to move to while one drains.
      SHUTDOWN_DRAIN_MS: process.env.SHUTDOWN_DRAIN_MS ?? '0',
      ...bus,
      ...spec.env?.(shop),
    };
    if (spec.database) {
      env.DATABASE_URL = await prepareDatabase({
        ...databases,
        name: spec.name,
        seed: spec.database.seed,
      });
    }
    running.push(spawnService(root, { name: spec.name, url: urlOf(spec.name), env }, print));
  }
  const deadline = Date.now() + config.BAZAAR_READY_TIMEOUT_MS;
  await Promise.all(running.map((service) => waitUntilReady(service, deadline)));
  for (const service of running) {
    void service.exited.then((how) => {
      void fail(`${service.name} stopped unexpectedly (${how})`);
    });
  }
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  print('');
  print(`Bazaar is ready in ${seconds} s`);
  print(`  Storefront     ${urlOf('gateway').replace('127.0.0.1', 'localhost')}/`);
  print(`  Shop API       ${urlOf('gateway').replace('127.0.0.1', 'localhost')}/api/products`);
  for (const service of running) print(`  ${service.name.padEnd(14)} ${service.url}/openapi.json`);
  const metricsPorts = services.map((spec) => metricsPortOf(spec.name)).sort((a, b) => a - b);
  print(
    `  Metrics        http://127.0.0.1:${metricsPorts[0]}/metrics … :${metricsPorts.at(-1)} (service port + ${metricsPortDistance})`,
  );
  print(
    `  PostgreSQL     ${postgres ? `${serverUrl} (embedded, data in ${config.BAZAAR_DATA_DIR})` : 'DATABASE_URL'}`,
  );
  print(
    `  Events         ${config.NATS_URL ? 'NATS JetStream (NATS_URL)' : 'PostgreSQL log (bus database)'}`,
  );
  print('Press Ctrl-C to stop.');
  print('');
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  // A second Ctrl-C means "now": the services still stop themselves when the launcher is gone.
  process.on(signal, () => (isStopping() ? process.exit(130) : void shutdown(0)));
}
start().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
