import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/** A read as it goes on the wire: serialized once, with its strong ETag, when it is cached. */
export type CachedResponse = { body: string; etag: string };

/**
 * Serializes `value` with the route's response schema, as Fastify would, and tags it; a cached
 * read then costs neither a serialization nor a hash (@fastify/etag keeps a tag already set).
 */
export function toCachedResponse(reply: FastifyReply, value: unknown): CachedResponse {
  // The route's serializer makes a string of JSON; the type also allows what other serializers make.
  const body = String(reply.serialize(value));
  return { body, etag: `"${createHash('sha1').update(body).digest('base64')}"` };
}

/** Sends a cached read; shared caches may keep it a minute, and its ETag earns a client a 304. */
export function sendCached(reply: FastifyReply, cached: CachedResponse): FastifyReply {
  return reply
    .header('cache-control', 'public, max-age=60')
    .header('etag', cached.etag)
    .type('application/json; charset=utf-8')
    .send(cached.body);
}
