import { randomInt } from 'node:crypto';
import { testAdmin } from '@bazaar/identity/test-fixture';
import { freePort } from '@bazaar/testing/free-port';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { buildApp } from '../src/app.js';
import { prepareGateway } from '../src/prepare-gateway.js';
import { gatewayConfig, type RunningStack, startStack } from './stack-fixture.js';

const stores = ['memory', ...(inject('redisUrl') ? ['redis'] : [])];
const redisEnv = (store: string): Record<string, string> =>
  store === 'redis' ? { REDIS_URL: inject('redisUrl') ?? '' } : {};

/** A fresh client address per test, so counters shared in Redis never mix between tests or runs. */
const clientAddress = () => `198.51.${randomInt(0, 255)}.${randomInt(1, 254)}`;

describe.each(stores)('the gateway with %s rate-limit counters', (store) => {
  let stack: RunningStack;
  const limit = 8;

  beforeAll(async () => {
    stack = await startStack(inject('postgresUrl'), {
      ...redisEnv(store),
      RATE_LIMIT_PER_MINUTE: String(limit),
      TRUST_PROXY_HOPS: '1',
      CORS_ORIGINS: 'https://shop.example',
    });
  });
  afterAll(() => stack.close());

  const from = (address: string, headers: Record<string, string> = {}) => ({
    'x-forwarded-for': address,
    ...headers,
  });

  async function signIn(address: string) {
    const response = await fetch(`${stack.url}/api/auth/login`, {
      method: 'POST',
      headers: from(address, { 'content-type': 'application/json' }),
      body: JSON.stringify(testAdmin),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { accessToken: string; refreshToken: string };
  }

  test('sign-in and /api/me work through the gateway', async () => {
    const address = clientAddress();
    const { accessToken } = await signIn(address);
    const response = await fetch(`${stack.url}/api/me`, {
      headers: from(address, { authorization: `Bearer ${accessToken}` }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ email: testAdmin.email, role: 'admin' });
  });

  test('a bad token is refused at the gateway even for a public route', async () => {
    const address = clientAddress();
    const { accessToken } = await signIn(address);
    const [header, payload, signature] = accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...claims, role: 'admin', sub: 'someone' }),
    ).toString('base64url');
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    const sign = (audience: string, ttlSeconds = 60) =>
      stack.identity.sign({ subject: claims.sub, role: 'customer', audience, ttlSeconds });
    const bad = {
      tampered: `${header}.${forgedPayload}.${signature}`,
      'alg none': unsigned,
      expired: await sign('bazaar', -120),
      'wrong audience': await sign('bazaar-internal'),
      garbage: 'not-a-token',
    };
    for (const [name, token] of Object.entries(bad)) {
      const response = await fetch(`${stack.url}/api/products`, {
        headers: from(address, { authorization: `Bearer ${token}` }),
      });
      expect({ name, status: response.status }).toEqual({ name, status: 401 });
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  test('a stale access token does not stop a refresh', async () => {
    const address = clientAddress();
    const { refreshToken } = await signIn(address);
    const response = await fetch(`${stack.url}/api/auth/refresh`, {
      method: 'POST',
      headers: from(address, {
        'content-type': 'application/json',
        authorization: 'Bearer expired.or.bad',
      }),
      body: JSON.stringify({ refreshToken }),
    });
    expect(response.status).toBe(200);
  });

  test('an address over its limit gets 429 with Retry-After, and other addresses do not', async () => {
    const address = clientAddress();
    const statuses: number[] = [];
    for (let request = 0; request <= limit; request += 1) {
      statuses.push(
        (await fetch(`${stack.url}/api/categories`, { headers: from(address) })).status,
      );
    }
    expect(statuses.slice(0, limit).every((status) => status === 200)).toBe(true);
    const limited = await fetch(`${stack.url}/api/categories`, { headers: from(address) });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ status: 429, title: 'Too Many Requests' });
    expect(
      (await fetch(`${stack.url}/api/categories`, { headers: from(clientAddress()) })).status,
    ).toBe(200);
  });

  test('a signed-in user is counted on their own, not with their address', async () => {
    const address = clientAddress();
    const { accessToken } = await signIn(address);
    for (let request = 0; request < limit; request += 1) {
      await fetch(`${stack.url}/api/categories`, { headers: from(address) });
    }
    expect((await fetch(`${stack.url}/api/categories`, { headers: from(address) })).status).toBe(
      429,
    );
    const asUser = await fetch(`${stack.url}/api/categories`, {
      headers: from(address, { authorization: `Bearer ${accessToken}` }),
    });
    expect(asUser.status).toBe(200);
  });

  test('only allowed origins get CORS headers', async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.url}/api/products`, {
        method: 'OPTIONS',
        headers: from(clientAddress(), {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        }),
      });
    const allowed = await preflight('https://shop.example');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const refused = await preflight('https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('responses carry security headers, and HSTS only over TLS', async () => {
    const plain = await fetch(`${stack.url}/api/categories`, { headers: from(clientAddress()) });
    expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
    expect(plain.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    const policy = plain.headers.get('content-security-policy') ?? '';
    const directives = new Map(
      policy.split(';').map((directive) => {
        const [name = '', ...sources] = directive.trim().split(/\s+/);
        return [name, sources.join(' ')];
      }),
    );
    expect(directives.get('style-src')).toBe("'self'");
    expect(directives.get('font-src')).toBe("'self' data:");
    expect(policy).not.toContain('https:');
    expect(plain.headers.get('permissions-policy')).toContain('camera=()');
    const overTls = await fetch(`${stack.url}/api/categories`, {
      headers: from(clientAddress(), { 'x-forwarded-proto': 'https' }),
    });
    expect(overTls.headers.get('strict-transport-security')).toContain('max-age=');
  });

  test('internal routes of identity are not reachable through the gateway', async () => {
    const response = await fetch(`${stack.url}/internal/service-tokens`, {
      method: 'POST',
      headers: from(clientAddress(), { 'content-type': 'application/json' }),
      body: '{}',
    });
    expect(response.status).toBe(404);
  });
});

test('with identity down, sign-in is a 503 problem at once', async () => {
  const gateway = await buildApp(
    await prepareGateway(gatewayConfig({ IDENTITY_URL: `http://127.0.0.1:${await freePort()}` })),
  );
  const url = await gateway.listen({ port: 0, host: '127.0.0.1' });
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(testAdmin),
  });
  const problem = await response.json();
  await gateway.close();
  expect(response.status).toBe(503);
  expect(problem).toMatchObject({ status: 503, title: 'Service Unavailable' });
});
