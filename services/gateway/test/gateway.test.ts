import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RunningCatalog, startCatalog } from '@bazaar/catalog/test-fixture';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { freePort } from '@bazaar/testing/free-port';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { buildApp } from '../src/app.js';
import { prepareGateway } from '../src/prepare-gateway.js';
import { gatewayConfig } from './stack-fixture.js';

let catalog: RunningCatalog;
let catalogUrl: string;

beforeAll(async () => {
  catalog = await startCatalog(inject('postgresUrl'), { seed: false });
  await catalog.db.query(
    `INSERT INTO categories (id, slug, name) VALUES (gen_random_uuid(), 'mugs', 'Mugs')`,
  );
  catalogUrl = await catalog.app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(() => catalog.close());

async function gatewayTo(catalogAt: string): Promise<ServiceApp> {
  const gateway = await buildApp(
    await prepareGateway(gatewayConfig({ CATALOG_URL: catalogAt, UPSTREAM_TIMEOUT_MS: '300' })),
  );
  await gateway.ready();
  return gateway;
}

describe('routing to catalog', () => {
  test('the product list is answered by catalog through the gateway', async () => {
    const gateway = await gatewayTo(catalogUrl);
    const response = await gateway.inject({ method: 'GET', url: '/api/products?limit=5' });
    await gateway.close();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ items: [], nextCursor: null, total: 0 });
  });

  test('catalog sees the request id the gateway answered with', async () => {
    const gateway = await gatewayTo(catalogUrl);
    const response = await gateway.inject({ method: 'GET', url: '/api/products?limit=0' });
    await gateway.close();
    const problem = response.json();
    expect(response.statusCode).toBe(400);
    expect(problem.requestId).toBe(response.headers['x-request-id']);
  });

  test('internal routes are never forwarded', async () => {
    const gateway = await gatewayTo(catalogUrl);
    for (const url of ['/internal/prices', '/api/products/../../internal/prices']) {
      const response = await gateway.inject({ method: 'POST', url, payload: { skus: [] } });
      expect(response.statusCode).toBe(404);
    }
    await gateway.close();
  });
});

describe('what the services are told of the client', () => {
  const claims = {
    host: 'shop.example',
    'x-forwarded-proto': 'https',
    'x-forwarded-host': 'evil.example',
    'x-forwarded-for': '203.0.113.7',
    forwarded: 'for=203.0.113.7;proto=https;host=evil.example',
  };
  /** The headers a service behind a gateway with `settings` sees of a request making `claims`. */
  const seenBehind = async (settings: Record<string, string>) => {
    const echo: FastifyInstance = Fastify();
    echo.get('/api/products', async (request) => request.headers);
    const url = await echo.listen({ port: 0, host: '127.0.0.1' });
    const gateway = await buildApp(
      await prepareGateway(gatewayConfig({ CATALOG_URL: url, ...settings })),
    );
    const seen = (
      await gateway.inject({ method: 'GET', url: '/api/products', headers: claims })
    ).json();
    await gateway.close();
    await echo.close();
    return seen;
  };

  test('a client over plain HTTP cannot claim HTTPS, another host or another address', async () => {
    const seen = await seenBehind({});
    expect(seen).toMatchObject({
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'shop.example',
      'x-forwarded-for': '127.0.0.1',
    });
    expect(seen.forwarded).toBeUndefined();
  });

  test('behind a trusted TLS-terminating proxy, what that proxy says is passed on', async () => {
    const seen = await seenBehind({ TRUST_PROXY_HOPS: '1' });
    expect(seen).toMatchObject({
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-for': '203.0.113.7',
    });
    expect(seen.forwarded).toBeUndefined();
  });
});

describe('an upstream in trouble', () => {
  test('a service that is down is a 503 problem, at once', async () => {
    const gateway = await gatewayTo(`http://127.0.0.1:${await freePort()}`);
    const response = await gateway.inject({ method: 'GET', url: '/api/products' });
    await gateway.close();
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 503, title: 'Service Unavailable' });
  });

  test('a service slower than the upstream timeout is a 504 problem', async () => {
    const slow: FastifyInstance = Fastify();
    slow.get('/api/products', async () => {
      await sleep(2000);
      return { items: [] };
    });
    const slowUrl = await slow.listen({ port: 0, host: '127.0.0.1' });
    const gateway = await gatewayTo(slowUrl);
    const started = Date.now();
    const response = await gateway.inject({ method: 'GET', url: '/api/products' });
    const waited = Date.now() - started;
    await gateway.close();
    await slow.close();
    expect(response.statusCode).toBe(504);
    expect(response.json()).toMatchObject({ status: 504, title: 'Gateway Timeout' });
    expect(waited).toBeLessThan(1500);
  });
});

describe('a connection closed under a request (a replica going away)', () => {
  /** A service that drops the connection of the first request it reads, then echoes each one. */
  const flakyEcho = async () => {
    const seen: string[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen.push(`${request.method} ${request.url}`);
        if (seen.length === 1) {
          request.socket.destroy();
          return;
        }
        response.setHeader('content-type', request.headers['content-type'] ?? 'text/plain');
        response.end(Buffer.concat(chunks));
      });
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const { port } = server.address() as AddressInfo;
    const gateway = await buildApp(
      await prepareGateway(gatewayConfig({ ORDERS_URL: `http://127.0.0.1:${port}` })),
    );
    const close = async () => {
      await gateway.close();
      await new Promise((closed) => server.close(closed));
    };
    return { gateway, seen, close };
  };
  // Bytes no JSON parser would give back as they came: a number beyond a double, spacing, a key twice.
  const body = '{ "note":  1e400, "note": "x" }';

  test('a checkout with an Idempotency-Key is sent again, its body byte for byte', async () => {
    const { gateway, seen, close } = await flakyEcho();
    const response = await gateway.inject({
      method: 'POST',
      url: '/api/checkout',
      headers: { 'content-type': 'application/json; charset=utf-8', 'idempotency-key': 'k-1' },
      payload: body,
    });
    await close();
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(body);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(seen).toEqual(['POST /api/checkout', 'POST /api/checkout']);
  });

  test('a read is sent again', async () => {
    const { gateway, seen, close } = await flakyEcho();
    const response = await gateway.inject({ method: 'GET', url: '/api/orders' });
    await close();
    expect(response.statusCode).toBe(200);
    expect(seen).toHaveLength(2);
  });

  test('a POST without an Idempotency-Key is not: the service may have acted on it', async () => {
    const { gateway, seen, close } = await flakyEcho();
    const response = await gateway.inject({
      method: 'POST',
      url: '/api/checkout',
      headers: { 'content-type': 'application/json' },
      payload: body,
    });
    await close();
    expect(response.statusCode).toBe(502);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(seen).toHaveLength(1);
  });
});
