import type { AddressInfo } from 'node:net';
import { type StatementCounts, statementsSent } from '@bazaar/db/statement-counts';
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { http } from './node-http.js';
import { droppedSpans } from './span-export-report.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The service's Prometheus registry: a service adds its own metrics here, served at /metrics
     * on the metrics port (`serveMetrics`), never on the service's own.
     */
    metrics: Registry;
  }
}

/**
 * RED metrics by route template (never the raw URL, so ids do not explode the label set) and
 * the process metrics, in the app's registry.
 */
export function installMetrics(app: FastifyInstance, service: string): void {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  app.decorate('metrics', registry);

  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  let counted = 0;
  new Counter({
    name: 'bazaar_spans_dropped_total',
    help: 'Spans this process could not deliver to the trace receiver (0 without tracing).',
    registers: [registry],
    collect() {
      const now = droppedSpans();
      this.inc(now - counted);
      counted = now;
    },
  });

  const bytes = new Counter({
    name: 'http_bytes_total',
    help: 'Bytes of HTTP bodies received (in) and sent (out) where their length was declared, by method and route template.',
    labelNames: ['direction', 'method', 'route'],
    registers: [registry],
  });
  databaseMetrics(registry);

  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status_code: String(reply.statusCode),
    };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
    const route = { method: labels.method, route: labels.route };
    bytes.inc({ direction: 'in', ...route }, Number(request.headers['content-length'] ?? 0) || 0);
    bytes.inc({ direction: 'out', ...route }, Number(reply.getHeader('content-length') ?? 0) || 0);
  });
}

/** The statements and transactions this process's pools have sent, by pool. */
function databaseMetrics(registry: Registry): void {
  const counted = (read: (counts: StatementCounts) => number) => {
    const reported = new Map<string, number>();
    return function collect(this: Counter<'pool'>) {
      for (const [pool, counts] of statementsSent()) {
        const now = read(counts);
        this.inc({ pool }, now - (reported.get(pool) ?? 0));
        reported.set(pool, now);
      }
    };
  };
  new Counter({
    name: 'bazaar_db_statements_total',
    help: 'Statements sent to PostgreSQL (BEGIN and COMMIT included), by pool.',
    labelNames: ['pool'],
    registers: [registry],
    collect: counted((counts) => counts.statements),
  });
  new Counter({
    name: 'bazaar_db_transactions_total',
    help: 'Transactions opened with BEGIN, by pool.',
    labelNames: ['pool'],
    registers: [registry],
    collect: counted((counts) => counts.transactions),
  });
}

export type MetricsServer = { url: string; close: () => Promise<void> };

/**
 * Serves `GET /metrics` of `registry` on a port of its own, apart from the service's: the port is
 * never routed by the gateway nor published, so the Node.js version, heap figures and per-route
 * counts (a shop's order volume) stay with the scraper inside the cluster.
 */
export async function serveMetrics(
  registry: Registry,
  options: { host: string; port: number },
): Promise<MetricsServer> {
  const server = http.createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n'),
    );
  });
  // Scrapers keep their connection; a shutdown must not wait for them.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
