import { createPool } from '@bazaar/db/pool';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createServiceApp, type ServiceApp } from '../src/app.js';
import { DomainError } from '../src/errors.js';
import { serveMetrics } from '../src/metrics.js';

let app: ServiceApp;
let databaseUp = true;

beforeAll(async () => {
  app = await createServiceApp({
    name: 'demo',
    logLevel: 'silent',
    bodyLimitBytes: 1_048_576,
    readiness: {
      postgres: async () => {
        if (!databaseUp) throw new Error('connection refused');
      },
    },
    problemStatuses: { out_of_stock: 409 },
  });
  app.post(
    '/items',
    {
      schema: {
        body: Type.Object(
          {
            sku: Type.String({ minLength: 1 }),
            quantity: Type.Integer({ minimum: 1, maximum: 99 }),
            address: Type.Optional(Type.Object({ zip: Type.String({ minLength: 3 }) })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => ({ received: request.body }),
  );
  app.get('/api/mine', async () => ({ mine: true }));
  app.get('/api/public', async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=60').send({ everyone: true }),
  );
  app.get('/stock', async () => {
    throw new DomainError('out_of_stock', 'Not enough stock for MUG-1', { skus: ['MUG-1'] });
  });
  app.get('/crash', async () => {
    throw new Error('relation "orders" does not exist at /srv/app/store.ts:12');
  });
  app.get(
    '/pages',
    {
      schema: {
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
          q: Type.Optional(Type.String()),
        }),
      },
    },
    async (request) => ({ limit: request.query.limit, q: request.query.q }),
  );
  app.get('/upstream', async () => {
    throw new DomainError('upstream_unavailable', 'catalog at 10.0.3.7 is not answering', {
      retryAfterSeconds: 2,
    });
  });
  app.get('/database-restarting', async () => {
    throw Object.assign(new Error('the database system is shutting down'), { code: '57P03' });
  });
  // What a partition gives: a database that stopped answering, a name no longer resolved.
  app.get('/database-silent', async () => {
    throw new Error('Query read timeout');
  });
  app.get('/host-gone', async () => {
    throw Object.assign(new Error('getaddrinfo ENOTFOUND postgres'), { code: 'ENOTFOUND' });
  });
  await app.ready();
});

afterAll(() => app.close());

describe('problem+json errors', () => {
  test('a validation failure lists every bad field', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/items',
      payload: { quantity: 0, role: 'admin', address: { zip: 'x' } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const problem = response.json();
    expect(problem).toMatchObject({ status: 400, code: 'validation', title: 'Invalid request' });
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { field: 'sku', in: 'body', message: 'is required' },
        { field: 'role', in: 'body', message: 'is not allowed' },
        expect.objectContaining({ field: 'quantity', in: 'body' }),
        expect.objectContaining({ field: 'address.zip', in: 'body' }),
      ]),
    );
  });

  test('a domain error gets its mapped status and carries its details', async () => {
    const response = await app.inject({ method: 'GET', url: '/stock' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      type: 'urn:bazaar:problem:out_of_stock',
      title: 'Out of stock',
      detail: 'Not enough stock for MUG-1',
      skus: ['MUG-1'],
    });
  });

  test('an unexpected error is a 500 that shows neither stack nor SQL', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/crash',
      headers: { 'x-request-id': 'req-42' },
    });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toMatch(/relation|store\.ts|at \//);
    expect(response.json()).toMatchObject({ status: 500, requestId: 'req-42' });
  });

  test('a service this one needs that does not answer is a 503 with Retry-After, its address not shown', async () => {
    const response = await app.inject({ method: 'GET', url: '/upstream' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('2');
    expect(response.json()).toMatchObject({ status: 503, title: 'Service Unavailable' });
    expect(response.body).not.toContain('10.0.3.7');
  });

  test('a database that is restarting is a 503 the client may retry, not a 500', async () => {
    const response = await app.inject({ method: 'GET', url: '/database-restarting' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('2');
  });

  test('a database cut off by a partition (silent, or its name gone) is a 503 too', async () => {
    for (const url of ['/database-silent', '/host-gone']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(503);
      expect(response.body, url).not.toContain('postgres');
    }
  });

  test('a number too large to be one (1e309), in the query or the body, is a 400 naming the field, not Infinity passed on', async () => {
    const response = await app.inject({ method: 'GET', url: '/pages?limit=1e309' });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'limit' })]);
    const text = await app.inject({ method: 'GET', url: '/pages?limit=5&q=1e309' });
    expect(text.json()).toEqual({ limit: 5, q: '1e309' });
    // In a body too, where a string is coerced to the number a schema wants.
    for (const quantity of ['1e309', '-Infinity']) {
      const body = await app.inject({
        method: 'POST',
        url: '/items',
        payload: { sku: 'MUG-1', quantity },
      });
      expect(body.statusCode, quantity).toBe(400);
      expect(body.json().errors).toEqual([
        expect.objectContaining({ field: 'quantity', in: 'body' }),
      ]);
    }
  });

  test('malformed JSON is a 400 problem', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/items',
      headers: { 'content-type': 'application/json' },
      payload: '{"sku": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  test('a body over the limit is refused with 413', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/items',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ sku: 'x'.repeat(1_100_000), quantity: 1 }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  test('an unknown route is a 404 problem', async () => {
    const response = await app.inject({ method: 'GET', url: '/nowhere' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ status: 404, code: 'not_found' });
  });
});

describe('request ids', () => {
  test('a caller-supplied x-request-id is echoed back', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(response.headers['x-request-id']).toBe('abc-123');
  });

  test('a missing or unsafe x-request-id is replaced by a fresh one', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'bad id\nwith newline' },
    });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('caching', () => {
  test('an API answer is not stored unless its route says it may be', async () => {
    const mine = await app.inject({ method: 'GET', url: '/api/mine' });
    const failed = await app.inject({ method: 'GET', url: '/api/nowhere' });
    const shared = await app.inject({ method: 'GET', url: '/api/public' });

    expect(mine.headers['cache-control']).toBe('no-store');
    expect(failed.headers['cache-control']).toBe('no-store');
    expect(shared.headers['cache-control']).toBe('public, max-age=60');
  });
});

describe('URLs the router cannot read', () => {
  test('broken percent-encoding is a 400 problem that does not name the framework', async () => {
    const response = await app.inject({ method: 'GET', url: '/items/%E0%A4%A' });

    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 400, code: 'invalid_url' });
    expect(response.body).not.toMatch(/FST_|fastify/i);
  });
});

describe('operations endpoints', () => {
  test('readiness follows the dependency checks', async () => {
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    databaseUp = false;
    const down = await app.inject({ method: 'GET', url: '/readyz' });
    databaseUp = true;
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ checks: { postgres: 'unavailable' } });
  });

  test('metrics are served on a port of their own, never on the service port', async () => {
    const server = await serveMetrics(app.metrics, { host: '127.0.0.1', port: 0 });
    try {
      const scraped = await fetch(server.url);
      const other = await fetch(server.url.replace('/metrics', '/healthz'));

      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('process_resident_memory_bytes');
      expect(other.status).toBe(404);
      expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    } finally {
      await server.close();
    }
  });

  test('metrics count requests by route template and status', async () => {
    await app.inject({ method: 'GET', url: '/stock' });
    const metrics = await app.metrics.metrics();
    expect(metrics).toMatch(
      /http_requests_total\{method="GET",route="\/stock",status_code="409",service="demo"\} \d+/,
    );
    expect(metrics).toContain('http_request_duration_seconds_bucket');
    expect(metrics).toContain('process_resident_memory_bytes');
  });

  test("metrics count the bytes of bodies by route, and the statements this process's pools sent", async () => {
    const bytesIn = async () =>
      Number(
        /http_bytes_total\{direction="in",method="POST",route="\/items",service="demo"\} (\d+)/.exec(
          await app.metrics.metrics(),
        )?.[1] ?? 0,
      );
    const before = await bytesIn();
    const body = JSON.stringify({ sku: 'LAMP-1', quantity: 2 });
    await app.inject({
      method: 'POST',
      url: '/items',
      payload: body,
      headers: { 'content-type': 'application/json' },
    });
    expect((await bytesIn()) - before).toBe(body.length);

    const pool = createPool(inject('postgresUrl'), {
      applicationName: 'metrics-demo',
      onIdleClientError: () => {},
    });
    try {
      await pool.query('SELECT 1');
      await pool.query('SELECT 2');
    } finally {
      await pool.end();
    }
    expect(await app.metrics.metrics()).toContain(
      'bazaar_db_statements_total{pool="metrics-demo",service="demo"} 2',
    );
  });

  test('the OpenAPI 3.1 document describes the routes and not the probes', async () => {
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(document.openapi).toBe('3.1.0');
    expect(document.paths['/items'].post.requestBody).toBeDefined();
    expect(document.paths['/healthz']).toBeUndefined();
  });
});
