import { createServiceApp, type ServiceApp } from '@bazaar/service-kit/app';
import type { TokenVerifier } from '@bazaar/service-kit/auth';
import type { IdentityConfig } from './config.js';
import { problemStatuses } from './domain/errors.js';
import type { ServiceClients } from './domain/service-clients.js';
import type { IdentityDeps } from './domain/sessions.js';
import { accountRoutes } from './routes/account-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { keyRoutes } from './routes/key-routes.js';

export type IdentityAppDeps = IdentityDeps & {
  config: IdentityDeps['config'] &
    Pick<
      IdentityConfig,
      'LOG_LEVEL' | 'BODY_LIMIT_BYTES' | 'TRUST_PROXY_HOPS' | 'SERVICE_TOKEN_AUDIENCE'
    >;
  verify: TokenVerifier;
  clients: ServiceClients;
};

export async function buildApp(deps: IdentityAppDeps): Promise<ServiceApp> {
  const { config, db } = deps;
  const app = await createServiceApp({
    name: 'identity',
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    readiness: { postgres: () => db.query('SELECT 1') },
    problemStatuses: problemStatuses,
  });
  authRoutes(app, deps);
  accountRoutes(app, deps);
  keyRoutes(app, {
    db,
    signer: deps.signer,
    clients: deps.clients,
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    serviceAudience: config.SERVICE_TOKEN_AUDIENCE,
  });
  return app;
}
