import { identityVerifiers } from '@bazaar/service-kit/auth';
import { connectRedis } from '@bazaar/service-kit/redis';
import type { GatewayDeps } from './app.js';
import type { GatewayConfig } from './config.js';

/** The gateway's collaborators: identity's keys for checking tokens, and Redis when configured. */
export async function prepareGateway(
  config: GatewayConfig,
  onRedisError: (error: Error) => void = () => {},
): Promise<GatewayDeps> {
  // If Redis fails, the limiter lets requests through rather than failing them.
  const redis = config.REDIS_URL ? await connectRedis(config.REDIS_URL, onRedisError) : undefined;
  return {
    config,
    ...(redis ? { redis } : {}),
    verify: identityVerifiers(config).verify,
  };
}
