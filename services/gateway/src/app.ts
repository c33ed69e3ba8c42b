import { createServiceApp, type ServiceApp } from '@bazaar/service-kit/app';
import type { GatewayConfig } from './config.js';
import { proxyRoutes } from './routes/proxy-routes.js';

export async function buildApp({ config }: { config: GatewayConfig }): Promise<ServiceApp> {
  const app = await createServiceApp({
    name: 'gateway',
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
  });
  await proxyRoutes(app, config);
  return app;
}
