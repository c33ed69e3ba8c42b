import type { ServiceApp } from '@bazaar/service-kit/app';
import { bearerToken, type TokenVerifier } from '@bazaar/service-kit/auth';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import type { GatewayConfig } from '../config.js';
import { GatewayError } from '../domain/errors.js';

const unlimitedPaths = new Set(['/healthz', '/readyz']);
const noDeviceFeatures =
  'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()';

/**
 * What the gateway does before any request reaches a service: security headers, CORS, a body
 * limit, checking a bearer token when one is sent, and rate limiting per signed-in user, else per
 * address.
 */
export async function edgeProtection(
  app: ServiceApp,
  deps: { config: GatewayConfig; verify: TokenVerifier; redis: Redis | undefined },
): Promise<void> {
  const { config } = deps;
  // Helmet's middleware is built once: @fastify/helmet built it again for every request (its
  // policy parsed each time), 3% of the gateway's CPU and much of its garbage on the product list.
  // HSTS is sent over TLS only (behind a TLS-terminating proxy, X-Forwarded-Proto says so), and a
  // shop on http://localhost must not have its requests upgraded to an https it does not serve.
  const securityHeaders = helmet({
    hsts: false,
    contentSecurityPolicy: {
      directives: {
        upgradeInsecureRequests: null,
        // The storefront brings its own styles and fonts: nothing from elsewhere, nothing inline.
        styleSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
      },
    },
  });
  app.addHook('onRequest', (request, reply, done) => {
    // The shop asks for no device feature; an injected script gets none either.
    reply.raw.setHeader('permissions-policy', noDeviceFeatures);
    if (request.protocol === 'https') {
      reply.raw.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains');
    }
    securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined));
  });

  const origins = config.CORS_ORIGINS.split(',').filter(Boolean);
  await app.register(cors, {
    origin: origins.length > 0 ? origins : false,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: [
      'authorization',
      'content-type',
      'idempotency-key',
      'x-cart-token',
      'x-request-id',
    ],
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: 600,
  });

  // Sign-in routes take no access token: a stale one a client still sends must not block a refresh.
  app.addHook('onRequest', async (request) => {
    if (request.headers.authorization === undefined || request.url.startsWith('/api/auth/')) return;
    request.principal = await deps.verify(bearerToken(request));
  });

  // The proxy streams bodies to the services unread, so the limit is enforced here, from the
  // announced length, before a byte is forwarded: a body without one (chunked) is refused too.
  // An admin's may be larger (a product image, a CSV file); the token is checked just before.
  app.addHook('onRequest', async (request) => {
    const length = request.headers['content-length'];
    if (length === undefined) {
      if (request.headers['transfer-encoding'] === undefined) return;
      throw new GatewayError('length_required', 'A request body must come with a Content-Length');
    }
    const limit =
      request.principal?.role === 'admin' ? config.ADMIN_BODY_LIMIT_BYTES : config.BODY_LIMIT_BYTES;
    if (Number(length) > limit) {
      throw new GatewayError('body_too_large', `Request bodies are limited to ${limit} bytes`);
    }
  });

  await app.register(rateLimit, {
    hook: 'preHandler',
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    ...(deps.redis
      ? { redis: deps.redis, skipOnError: true, nameSpace: 'bazaar-gateway-rate:' }
      : {}),
    keyGenerator: (request) =>
      request.principal ? `user:${request.principal.subject}` : `address:${request.ip}`,
    // The API is limited; the storefront's own files (cached by browsers anyway) are not.
    allowList: (request) => !request.url.startsWith('/api/') || unlimitedPaths.has(request.url),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      message: `Too many requests; try again in ${context.after}`,
    }),
  });
}
