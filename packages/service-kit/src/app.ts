import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import './auth.js';
import { beginDraining, isDraining } from './draining.js';
import { commonProblemStatuses, problemType } from './errors.js';
import { installFiniteNumbers } from './finite-numbers.js';
import { installHealthRoutes, type ReadinessChecks } from './health.js';
import { installMetrics } from './metrics.js';
import { installProblemHandler, sendProblem } from './problem-handler.js';
import { withRequestId } from './request-context.js';
import { RequestLog } from './request-log.js';
import { activeTraceIds, nameServerSpan } from './trace-context.js';

/** For routes registered in a plugin of their own, which starts without the app's type provider. */
export type { TypeBoxTypeProvider };

export type ServiceAppOptions = {
  name: string;
  version?: string;
  /** A pino level, or `silent`; tests pass `silent`. */
  logLevel: string;
  bodyLimitBytes: number;
  /** Proxies in front of the service whose X-Forwarded-For is believed (0: none). */
  trustProxyHops?: number;
  readiness?: ReadinessChecks;
  /** Status for each domain error code the service throws, on top of the common ones. */
  problemStatuses?: Readonly<Record<string, number>>;
  /**
   * How long a kept-alive connection may sit idle; 5 s unless given. Clients close theirs a little
   * earlier (before the advertised `Keep-Alive: timeout`: node:http 1 s, the gateway's undici 2 s),
   * so a stopping service that serves on for this long (`SHUTDOWN_DRAIN_MS`) closes no idle
   * connection a client may be sending on. Fastify's 72 s would make that drain as long. A service
   * behind a load balancer, which ignores the advertised timeout, needs longer than the balancer's
   * own (the gateway).
   */
  keepAliveTimeoutMs?: number;
};

export type ServiceApp = FastifyInstance<
  Server,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

const requestIdPattern = /^[\w.:-]{1,128}$/;

/**
 * A Fastify app with everything a Bazaar service shares: JSON logs with request ids, problem+json
 * errors, health, metrics and the OpenAPI document. The service adds its routes and listens.
 */
export async function createServiceApp(options: ServiceAppOptions): Promise<ServiceApp> {
  const app = Fastify({
    logger: {
      level: options.logLevel,
      base: { service: options.name },
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      mixin: activeTraceIds,
    },
    bodyLimit: options.bodyLimitBytes,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 5_000,
    trustProxy: (_address: string, hop: number) => hop < (options.trustProxyHops ?? 0),
    logController: new RequestLog(),
    genReqId: (request) => {
      const header = request.headers['x-request-id'];
      return typeof header === 'string' && requestIdPattern.test(header) ? header : randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false, allErrors: true } },
    // A URL the router cannot even read (broken percent-encoding, an overlong parameter) gets a
    // problem like every other error, not a body that names the framework.
    frameworkErrors: (error, request, reply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      reply.header('x-request-id', request.id);
      void sendProblem(reply, {
        type: problemType(tooLong ? 'uri_too_long' : 'invalid_url'),
        title: tooLong ? 'URI Too Long' : 'Bad Request',
        status: tooLong ? 414 : 400,
        detail: tooLong
          ? 'A part of the URL is too long'
          : 'The URL is not validly percent-encoded',
        code: tooLong ? 'uri_too_long' : 'invalid_url',
        requestId: request.id,
      });
    },
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorateRequest('principal', null);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    nameServerSpan(request.method, request.routeOptions.url);
    withRequestId(request.id, done);
  });
  // A keep-alive client would hold its connection open and stall a graceful shutdown.
  app.addHook('preClose', async () => beginDraining(app));
  app.addHook('onSend', async (request, reply) => {
    if (isDraining(app)) reply.header('connection', 'close');
    // An API answer is personal (an account, a cart, orders, tokens) unless its route says it
    // may be kept (catalog's reads do): no browser or proxy keeps it otherwise.
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) {
      reply.header('cache-control', 'no-store');
    }
  });

  installProblemHandler(app, { ...commonProblemStatuses, ...options.problemStatuses });
  installFiniteNumbers(app);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: `Bazaar ${options.name}`, version: options.version ?? '0.1.0' },
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  installHealthRoutes(app, options.readiness ?? {});
  installMetrics(app, options.name);
  return app;
}
