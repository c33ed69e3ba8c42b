import { createServiceApp, type ServiceApp } from '@bazaar/service-kit/app';
import type { TokenVerifier } from '@bazaar/service-kit/auth';
import type { Redis } from 'ioredis';
import type { GatewayConfig } from './config.js';
import { problemStatuses } from './domain/errors.js';
import { edgeProtection } from './routes/edge-protection.js';
import { proxyRoutes } from './routes/proxy-routes.js';
import { storefrontRoutes } from './routes/storefront-routes.js';

export type GatewayDeps = { config: GatewayConfig; verify: TokenVerifier; redis?: Redis };

export async function buildApp({ config, verify, redis }: GatewayDeps): Promise<ServiceApp> {
  const app = await createServiceApp({
    name: 'gateway',
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    // No dependency gates readiness: with Redis away the rate limiter lets requests through, and
    // a gateway taken out of rotation for it would take the whole shop down with it.
    readiness: {},
    problemStatuses: problemStatuses,
    // A load balancer (the ALB; HAProxy under compose) keeps its idle connections to the gateway
    // for its own idle timeout (the ALB's 60 s) and ignores the advertised one: a gateway that
    // closed one first could close it under a request the balancer was sending (a lost POST, a
    // 502). A stopping gateway is out of the balancer's rotation (its /readyz) before its drain
    // ends and it closes its idle connections, so this does not lengthen the drain.
    keepAliveTimeoutMs: 65_000,
  });
  await edgeProtection(app, { config, verify, redis });
  await proxyRoutes(app, config);
  if (
    !(await storefrontRoutes(app, {
      directory: config.STOREFRONT_DIR,
      catalogUrl: config.CATALOG_URL,
    }))
  ) {
    app.log.warn(
      { directory: config.STOREFRONT_DIR },
      'no built storefront there; / is not served',
    );
  }
  app.addHook('onClose', async () => {
    await redis?.quit();
  });
  return app;
}
