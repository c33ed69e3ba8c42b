import { Redis } from 'ioredis';

/**
 * A Redis client for a cache or counters, which must never stall a request: a command fails after
 * one retry instead of queueing while Redis is away, and connection errors are reported, not thrown.
 */
export function connectRedis(url: string, onError: (error: Error) => void): Redis {
  const redis = new Redis(url, { connectTimeout: 500, maxRetriesPerRequest: 1 });
  redis.on('error', onError);
  return redis;
}
