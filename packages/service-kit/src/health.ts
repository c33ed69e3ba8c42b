import type { FastifyInstance } from 'fastify';
import { isDraining } from './draining.js';
import { problemType } from './errors.js';
import { sendProblem } from './problem-handler.js';

/** A dependency the service cannot serve without, e.g. `{ postgres: () => pool.query('SELECT 1') }`. */
export type ReadinessChecks = Readonly<Record<string, () => Promise<unknown>>>;

const checkTimeoutMs = 2000;

/**
 * `/healthz` says the process is alive; `/readyz` says every dependency answered in time and the
 * service is not stopping.
 */
export function installHealthRoutes(app: FastifyInstance, checks: ReadinessChecks): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (request, reply) => {
    // A load balancer that checks readiness (HAProxy under compose, an ALB's target group) takes a
    // stopping replica out within a check or two, well before its drain ends.
    if (isDraining(app)) {
      return sendProblem(reply, {
        type: problemType('not_ready'),
        title: 'Service Unavailable',
        status: 503,
        detail: 'Not ready: stopping',
        code: 'not_ready',
        requestId: request.id,
      });
    }
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await withTimeout(check(), checkTimeoutMs);
          return [name, 'ok'] as const;
        } catch (error) {
          request.log.warn({ err: error, dependency: name }, 'readiness check failed');
          return [name, 'unavailable'] as const;
        }
      }),
    );
    const failing = results.filter(([, state]) => state !== 'ok').map(([name]) => name);
    if (failing.length === 0) return { status: 'ready', checks: Object.fromEntries(results) };
    return sendProblem(reply, {
      type: problemType('not_ready'),
      title: 'Service Unavailable',
      status: 503,
      detail: `Not ready: ${failing.join(', ')} unavailable`,
      code: 'not_ready',
      requestId: request.id,
      checks: Object.fromEntries(results),
    });
  });
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
