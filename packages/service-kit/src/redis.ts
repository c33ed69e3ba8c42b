import type { Redis } from 'ioredis';

/**
 * A Redis client that must never stall a request: while Redis is away a command fails at once
 * (the caller answers 503, reads PostgreSQL, or lets the request through) instead of queueing for
 * a reconnection; reconnection is tried every second at most, so service resumes within about a
 * second of Redis' return; connection errors are reported, not thrown.
 */
export async function connectRedis(url: string, onError: (error: Error) => void): Promise<Redis> {
  // Loaded only with REDIS_URL: a service without Redis never loads the client.
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    connectTimeout: 500,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 1000),
  });
  redis.on('error', onError);
  return redis;
}
