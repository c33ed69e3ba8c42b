import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { beginDraining } from './draining.js';
import { type MetricsServer, serveMetrics } from './metrics.js';
import { flushSpans } from './trace-context.js';

type Started = {
  app: FastifyInstance;
  config: {
    readonly PORT: number;
    readonly METRICS_PORT: number;
    readonly HOST: string;
    readonly SHUTDOWN_DRAIN_MS: number;
    readonly SHUTDOWN_TIMEOUT_MS: number;
  };
};

/**
 * Runs a service process: builds it, listens, and closes it gracefully on SIGTERM/SIGINT (or when
 * the launcher that spawned it goes away). Anything that fails before listening — a bad setting,
 * an unreachable database, a migration mismatch — ends the process with one line on stderr.
 */
export async function runService(name: string, start: () => Promise<Started>): Promise<void> {
  let started: Started;
  let metrics: MetricsServer;
  try {
    started = await start();
    const { PORT, METRICS_PORT, HOST } = started.config;
    await untilReady(started.app, readyWaitMs);
    await started.app.listen({ port: PORT, host: HOST });
    metrics = await serveMetrics(started.app.metrics, { host: HOST, port: METRICS_PORT });
  } catch (error) {
    console.error(`${name}: ${describeBootError(error)}`);
    process.exit(1);
  }
  const { app, config } = started;
  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ reason }, 'shutting down');
    const outcome = await stopServing(app, {
      drainMs: config.SHUTDOWN_DRAIN_MS,
      timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    });
    await metrics.close();
    if (outcome === 'timed_out') app.log.error('shutdown timed out; exiting anyway');
    await flushSpans(2000);
    process.exit(outcome === 'closed' ? 0 : 1);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  // Spawned with an IPC channel by the launcher: its death must not leave this process behind.
  if (process.connected) process.once('disconnect', () => void stop('launcher exited'));
}

/**
 * How long a starting service waits for its dependencies before it listens anyway (and answers
 * 503 until they come). A replica that listens before it can serve is sent requests it must refuse
 * wherever nothing gates on readiness (compose puts a container in DNS as it starts); one that
 * does not listen yet is skipped, its refused connections sent to another replica. Well inside
 * Kubernetes' startup probe (60 s).
 */
const readyWaitMs = 20_000;

/** Resolves once the app's `/readyz` answers 200, or after `waitMs` with a warning. */
export async function untilReady(app: FastifyInstance, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const answer = await app.inject({ method: 'GET', url: '/readyz' });
    if (answer.statusCode === 200) return;
    if (Date.now() >= deadline) break;
    await sleep(500);
  }
  app.log.warn({ waitedMs: waitMs }, 'dependencies not ready; listening anyway, answering 503');
}

/**
 * Serves on for `drainMs`, each answer closing its connection, then shuts down gracefully. Closing
 * at once would close idle kept-alive connections under clients that are sending on them (a POST
 * lost that way cannot be resent), and refuse connections from clients (a gateway, a Kubernetes
 * node) that have not yet heard the replica is going.
 */
export async function stopServing(
  app: FastifyInstance,
  { drainMs, timeoutMs }: { drainMs: number; timeoutMs: number },
): Promise<'closed' | 'timed_out'> {
  beginDraining(app);
  await sleep(drainMs);
  return shutdownGracefully(app, timeoutMs);
}

/**
 * Stops accepting connections, lets in-flight requests finish, runs the app's onClose hooks
 * (pools, consumers) and reports whether that took less than `timeoutMs`.
 */
export async function shutdownGracefully(
  app: FastifyInstance,
  timeoutMs: number,
): Promise<'closed' | 'timed_out'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timed_out'>((resolve) => {
    timer = setTimeout(() => resolve('timed_out'), timeoutMs);
  });
  try {
    return await Promise.race([app.close().then(() => 'closed' as const), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function describeBootError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return describeBootError(error.errors[0]);
  }
  if (error instanceof Error) return error.message || String(error);
  return String(error);
}
