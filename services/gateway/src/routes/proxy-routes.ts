import type { ServiceApp } from '@bazaar/service-kit/app';
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
    { prefix: '/api/admin/products', upstream: config.CATALOG_URL },
    { prefix: '/api/inventory', upstream: config.INVENTORY_URL },
    { prefix: '/api/admin/inventory', upstream: config.INVENTORY_URL },
    { prefix: '/api/cart', upstream: config.CART_URL },
    { prefix: '/api/checkout', upstream: config.ORDERS_URL },
    { prefix: '/api/orders', upstream: config.ORDERS_URL },
    { prefix: '/api/admin/orders', upstream: config.ORDERS_URL },
    { prefix: '/api/payments/webhooks', upstream: config.PAYMENTS_URL },
    { prefix: '/api/admin/notifications', upstream: config.NOTIFICATIONS_URL },
  ];
}

export async function proxyRoutes(app: ServiceApp, config: GatewayConfig): Promise<void> {
  for (const { prefix, upstream } of routeTable(config)) {
    await app.register(proxy, {
      upstream,
      prefix,
      rewritePrefix: prefix,
      undici: {
        connections: 128,
        connectTimeout: Math.min(config.UPSTREAM_TIMEOUT_MS, 5000),
        headersTimeout: config.UPSTREAM_TIMEOUT_MS,
        bodyTimeout: config.UPSTREAM_TIMEOUT_MS,
      },
      replyOptions: {
        // The upstream logs under the same request id, made here if the client sent none.
        // What the gateway saw, never what the client claims: the address (after the gateway's
        // own trusted proxies; identity throttles sign-ins by it), the scheme (a client over plain
        // HTTP must not pass for HTTPS at a service that trusts one hop) and the host; the
        // client's `Forwarded` goes. A client's trace context is not passed on as it came: the
        // gateway's own span (its child) is what tracing adds, and two `traceparent` headers
        // would break the trace.
        rewriteRequestHeaders: (
          request,
          {
            traceparent: _parent,
            tracestate: _state,
            forwarded: _forwarded,
            'x-forwarded-host': _host,
            'x-forwarded-proto': _proto,
            'x-forwarded-port': _port,
            'x-real-ip': _realIp,
            ...headers
          },
        ) => ({
          ...headers,
          'x-request-id': request.id,
          'x-forwarded-for': request.ip,
          'x-forwarded-proto': request.protocol,
          'x-forwarded-host': request.host,
        }),
        onError: (reply, { error }) => reply.send(asUpstreamFailure(error)),
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
