import { createTokenVerifier, remoteKeys } from '@bazaar/service-kit/auth';
import { Redis } from 'ioredis';
import type { GatewayDeps } from './app.js';
import type { GatewayConfig } from './config.js';

/** The gateway's collaborators: identity's keys for checking tokens, and Redis when configured. */
export function prepareGateway(config: GatewayConfig): GatewayDeps {
  // Rate limiting must not stall on a slow Redis: fail fast, and the limiter lets requests through.
  const redis = config.REDIS_URL
    ? new Redis(config.REDIS_URL, { connectTimeout: 500, maxRetriesPerRequest: 1 })
    : undefined;
  return {
    config,
    ...(redis ? { redis } : {}),
    verify: createTokenVerifier({
      keys: remoteKeys(`${config.IDENTITY_URL}/.well-known/jwks.json`),
      issuer: config.TOKEN_ISSUER,
      audience: config.TOKEN_AUDIENCE,
    }),
  };
}
