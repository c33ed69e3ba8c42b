import type { IncomingHttpHeaders } from 'node:http';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { spreadingLookup } from '@bazaar/service-kit/spreading-lookup';
import proxy from '@fastify/http-proxy';
import type { GatewayConfig } from '../config.js';

/** Which public path prefix each service answers; nothing under `/internal` is ever routed. */
function routeTable(config: GatewayConfig): Array<{ prefix: string; upstream: string }> {
  return [
    { prefix: '/api/auth', upstream: config.IDENTITY_URL },
    { prefix: '/api/me', upstream: config.IDENTITY_URL },
    { prefix: '/api/admin/users', upstream: config.IDENTITY_URL },
    { prefix: '/.well-known/jwks.json', upstream: config.IDENTITY_URL },
    { prefix: '/api/products', upstream: config.CATALOG_URL },
    { prefix: '/api/categories', upstream: config.CATALOG_URL },
    { prefix: '/media', upstream: config.CATALOG_URL },
    { prefix: '/robots.txt', upstream: config.CATALOG_URL },
    { prefix: '/sitemap.xml', upstream: config.CATALOG_URL },
    { prefix: '/api/admin/products', upstream: config.CATALOG_URL },
    { prefix: '/api/regions', upstream: config.CATALOG_URL },
    { prefix: '/api/admin/promotions', upstream: config.CATALOG_URL },
    { prefix: '/api/admin/regions', upstream: config.CATALOG_URL },
    { prefix: '/api/admin/shipping-options', upstream: config.CATALOG_URL },
    { prefix: '/api/admin/tax-rates', upstream: config.CATALOG_URL },
    { prefix: '/api/inventory', upstream: config.INVENTORY_URL },
    { prefix: '/api/admin/inventory', upstream: config.INVENTORY_URL },
    { prefix: '/api/cart', upstream: config.CART_URL },
    { prefix: '/api/checkout', upstream: config.ORDERS_URL },
    { prefix: '/api/orders', upstream: config.ORDERS_URL },
    { prefix: '/api/admin/orders', upstream: config.ORDERS_URL },
    { prefix: '/api/admin/returns', upstream: config.ORDERS_URL },
    { prefix: '/api/payments/webhooks', upstream: config.PAYMENTS_URL },
    { prefix: '/api/admin/notifications', upstream: config.NOTIFICATIONS_URL },
    { prefix: '/api/admin/webhooks', upstream: config.NOTIFICATIONS_URL },
  ];
}

export async function proxyRoutes(app: ServiceApp, config: GatewayConfig): Promise<void> {
  // Bodies are read whole (the length was checked first, edge-protection.ts), so that a request
  // can be sent again to another replica; the bytes pass on untouched (webhook signatures).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  for (const { prefix, upstream } of routeTable(config)) {
    const lookup = spreadingLookup();
    await app.register(proxy, {
      upstream,
      prefix,
      rewritePrefix: prefix,
      proxyPayloads: false,
      // The buffered body goes out as it came, under the client's own content type (reply-from
      // would otherwise encode a JSON body again).
      handler: (request, reply, destination, options) =>
        reply.from(
          destination,
          Buffer.isBuffer(request.body)
            ? { ...options, body: request.body, contentType: request.headers['content-type'] }
            : options,
        ),
      undici: {
        connections: 128,
        connectTimeout: Math.min(config.UPSTREAM_TIMEOUT_MS, 5000),
        headersTimeout: config.UPSTREAM_TIMEOUT_MS,
        bodyTimeout: config.UPSTREAM_TIMEOUT_MS,
        connect: { lookup },
      },
      replyOptions: {
        // The upstream logs under the same request id, made here if the client sent none.
        // What the gateway saw, never what the client claims: the address (after the gateway's
        // own trusted proxies; identity throttles sign-ins by it), the scheme (a client over plain
        // HTTP must not pass for HTTPS at a service that trusts one hop) and the host; the
        // client's `Forwarded` goes. A client's trace context is not passed on as it came: the
        // gateway's own span (its child) is what tracing adds, and two `traceparent` headers
        // would break the trace.
        rewriteRequestHeaders: (request, incoming) => {
          const headers: IncomingHttpHeaders = {};
          for (const name in incoming) {
            if (!replacedHeaders.has(name)) headers[name] = incoming[name];
          }
          headers['x-request-id'] = request.id;
          headers['x-forwarded-for'] = request.ip;
          headers['x-forwarded-proto'] = request.protocol;
          headers['x-forwarded-host'] = request.host;
          return headers;
        },
        onError: (reply, { error }) => reply.send(asUpstreamFailure(error)),
        // reply-from hands the hook its own request (method, headers) and the upstream's answer,
        // not Fastify's request and reply that its types name.
        retryDelay: ({ err, req, res, attempt }) => {
          lookup.avoid(err);
          return retryable(err, req as unknown as ProxiedRequest, res, attempt) ? 20 : null;
        },
      },
    });
  }
}

/**
 * reply-from reports a refused or broken upstream connection as a 500, as if the gateway had
 * failed; the client should learn that a service is unavailable (503) or misbehaved (502).
 */
function asUpstreamFailure(error: Error & { statusCode?: number; cause?: unknown }) {
  if (error.statusCode !== undefined && error.statusCode !== 500) return error;
  const code = (error.cause as { code?: string } | undefined)?.code;
  return Object.assign(new Error(`upstream failed: ${code ?? error.message}`, { cause: error }), {
    statusCode: code === 'ECONNREFUSED' ? 503 : 502,
  });
}

/**
 * What a client sent that the gateway states itself or drops (above); copied name by name, as a
 * rest pattern over seven names cost 2% of the gateway's CPU on the product list.
 */
const replacedHeaders = new Set([
  'traceparent',
  'tracestate',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-real-ip',
]);

/** Methods a repeat of which does what the first did (RFC 9110, 9.2.2). */
const idempotentMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
/** Failures that come at once and mean nothing was sent: no address, or no one listening. */
const neverSent = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
/** A kept-alive connection the upstream closed (a replica shutting down) as the request went out. */
const closedUnderneath = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

type ProxiedRequest = { method: string; headers: Record<string, unknown> };

/**
 * Whether a failed proxied request is sent again (twice at most): when nothing was sent, whatever
 * the method (the next connection goes to another replica), or when a kept-alive connection broke
 * before an answer and a repeat is harmless, by its method or by its `Idempotency-Key` (a
 * checkout). An answer, even a 5xx, is the client's; a timeout is not retried: the service may
 * still be at it, and the client's budget is spent.
 */
function retryable(
  error: (Error & { code?: string }) | undefined,
  request: ProxiedRequest,
  answer: unknown,
  attempt: number,
): boolean {
  if (answer || !error || attempt >= 2) return false;
  if (neverSent.has(error.code ?? '')) return true;
  if (!closedUnderneath.has(error.code ?? '')) return false;
  return idempotentMethods.has(request.method) || request.headers['idempotency-key'] !== undefined;
}
