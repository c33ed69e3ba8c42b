import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installedBinary } from '@bazaar/testing/installed-binary';
import { startTunedShop, type TunedShop } from '@bazaar/testing/tuned-shop';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';

/** What a hostile client does to the edge: bodies too large to read, connections held open slowly. */
let shop: TunedShop;
const slowhttptest = installedBinary('slowhttptest', 'BAZAAR_SECURITY_TOOLS');

beforeAll(async () => {
  shop = await startTunedShop(inject('postgresUrl'));
});

afterAll(async () => {
  await shop?.shop.stop();
});

/** The gateway's resident memory in MB, from its own /metrics. */
const gatewayRss = async () =>
  (await shop.shop.metric('gateway', 'process_resident_memory_bytes')) / 2 ** 20;

/** A POST of `bytes` of JSON, sent with a length or (without one) chunked; its status and time. */
function postLarge(
  path: string,
  bytes: number,
  chunked: boolean,
): Promise<{ status: number; ms: number }> {
  const url = new URL(path, shop.shop.url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(bytes) }),
      },
    });
    request.on('response', (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, ms: performance.now() - started });
      request.destroy();
    });
    // The server may answer and close before the body is all sent; closed with no answer at all
    // is status 0, which fails the test.
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    request.on('close', () => resolve({ status: 0, ms: performance.now() - started }));
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const write = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once('drain', write);
      }
      request.end();
    };
    write();
  });
}

test('a body over the 1 MiB limit is a 413 at once, one without a length a 411, and neither leaves memory behind', async () => {
  const announced: Array<{ status: number; ms: number }> = [];
  const streamed: typeof announced = [];
  const send = async (rounds: number) => {
    for (let index = 0; index < rounds; index += 1) {
      announced.push(await postLarge('/api/auth/register', 4 * 2 ** 20, false));
      streamed.push(await postLarge('/api/auth/register', 4 * 2 ** 20, true));
    }
  };
  // The gateway reads a refused body to its end (closing at once would lose the answer to a reset)
  // into buffers freed when it next collects: memory measured after a first round, which holds
  // them, grows again only if something is kept.
  await send(10);
  const before = await gatewayRss();
  await send(50);
  expect(new Set(announced.map((answer) => answer.status))).toEqual(new Set([413]));
  expect(new Set(streamed.map((answer) => answer.status))).toEqual(new Set([411]));
  expect(Math.max(...[...announced, ...streamed].map((answer) => answer.ms))).toBeLessThan(2000);
  expect(await gatewayRss()).toBeLessThan(before + 40);
  // A body within the limit still goes through.
  const ordinary = await shop.client.call('POST', '/api/auth/login', {
    body: { email: 'nobody@example.com', password: 'x'.repeat(20) },
  });
  expect(ordinary.status).toBe(401);
});

test('a URL with broken percent-encoding is a problem like any other, naming no framework', async () => {
  for (const path of ['/api/products/%E0%A4%A', '/api/cart/items/%zz', '/%']) {
    const response = await fetch(`${shop.shop.url}${path}`);
    const body = await response.text();
    expect(response.status, path).toBe(400);
    expect(response.headers.get('content-type'), path).toContain('application/problem+json');
    expect(body, path).not.toMatch(/FST_|fastify/i);
  }
});

test('personal answers (account, cart, orders, tokens) are never stored by a browser or a proxy', async () => {
  const customer = await shop.client.newCustomer();
  const bearer = { authorization: `Bearer ${customer.token}` };
  for (const path of ['/api/me', '/api/cart', '/api/orders']) {
    const response = await fetch(`${shop.shop.url}${path}`, { headers: bearer });
    expect(response.status, path).toBe(200);
    expect(response.headers.get('cache-control'), path).toBe('no-store');
  }
  const refreshed = await fetch(`${shop.shop.url}/api/auth/refresh`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken: customer.refreshToken }),
  });
  expect(refreshed.headers.get('cache-control')).toBe('no-store');
});

test("the storefront's source maps are not published", async () => {
  const page = await (await fetch(`${shop.shop.url}/`)).text();
  const bundle = /src="(\/assets\/[^"]+\.js)"/.exec(page)?.[1];
  expect(bundle).toBeDefined();
  const script = await (await fetch(`${shop.shop.url}${bundle}`)).text();
  expect(script).not.toContain('sourceMappingURL');
  expect((await fetch(`${shop.shop.url}${bundle}.map`)).status).toBe(404);
});

test('a client over plain HTTP that claims HTTPS is not believed: no Secure cookie, no HSTS', async () => {
  const response = await fetch(`${shop.shop.url}/api/cart/items`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-proto': 'https',
      forwarded: 'proto=https',
    },
    body: JSON.stringify({ sku: 'LGT-05-SND', quantity: 1 }),
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('set-cookie')).toMatch(/cart_token=/);
  expect(response.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
  expect(response.headers.get('strict-transport-security')).toBeNull();
});

test('every page carries a CSP that loads nothing from elsewhere, and a Permissions-Policy', async () => {
  const response = await fetch(`${shop.shop.url}/`);
  const policy = response.headers.get('content-security-policy') ?? '';
  expect(policy).toContain("default-src 'self'");
  expect(policy).not.toContain('https:');
  expect(response.headers.get('permissions-policy')).toMatch(/camera=\(\).*payment=\(\)/);
});

test.skipIf(!slowhttptest)(
  'a slow-header attack holding 1,000 connections leaves 99% of ordinary requests answered',
  async ({ annotate }) => {
    const reports = await mkdtemp(join(tmpdir(), 'bazaar-slowloris-'));
    const attack = spawn(
      slowhttptest ?? '',
      // Slowloris: 1000 connections at 200 a second, each sending a header line every 5 s, for
      // 20 s, with a report of the connections it held each second.
      [
        '-H',
        '-c',
        '1000',
        '-r',
        '200',
        '-i',
        '5',
        '-l',
        '20',
        '-g',
        '-o',
        join(reports, 'attack'),
        '-u',
        `${shop.shop.url}/api/products`,
      ],
      { stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((resolve) => attack.once('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 3000));
    let answered = 0;
    let asked = 0;
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const statuses = await Promise.all(
        Array.from({ length: 10 }, () =>
          fetch(`${shop.shop.url}/api/products?limit=2`, {
            signal: AbortSignal.timeout(5000),
          }).then(
            (response) => response.status,
            () => 0,
          ),
        ),
      );
      asked += statuses.length;
      answered += statuses.filter((status) => status === 200).length;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const exitCode = await exited;
    // Seconds,Closed,Pending,Connected,Service Available: the attack really held its connections.
    const report = await readFile(join(reports, 'attack.csv'), 'utf8');
    await rm(reports, { recursive: true, force: true });
    const held = Math.max(
      ...report
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => Number(line.split(',')[3])),
    );
    await annotate(
      `slowhttptest held up to ${held} connections; ${answered} of ${asked} ordinary requests answered meanwhile`,
    );
    expect(exitCode).toBe(0);
    expect(held).toBeGreaterThanOrEqual(900);
    expect(answered / asked).toBeGreaterThanOrEqual(0.99);
  },
  60_000,
);
