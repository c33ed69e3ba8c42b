import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventType } from '@bazaar/contracts/events';
import { createTestDatabase, type TestDatabase } from '@bazaar/db/test-database';
import { applyOnce } from '@bazaar/events/inbox';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { createTokenVerifier } from '@bazaar/service-kit/auth';
import { createTestTokens } from '@bazaar/testing/test-tokens';
import { waitFor } from '@bazaar/testing/until';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { buildApp } from '../src/app.js';
import { migrations, readConfig } from '../src/config.js';
import { guardedAgent, isInternalAddress } from '../src/domain/webhook-targets.js';
import { eventHandlers } from '../src/events/index.js';

/**
 * Outbound webhooks against real HTTP receivers on this machine (the dev-only setting lets the
 * shop reach them), with retries a few milliseconds apart instead of minutes.
 */
let database: TestDatabase;
let guardedDatabase: TestDatabase;
let app: ServiceApp;
let guarded: ServiceApp;
let adminToken: string;
const receivers: Server[] = [];

const settings = {
  LOG_LEVEL: 'silent' as const,
  BODY_LIMIT_BYTES: 1_048_576,
  TRUST_PROXY_HOPS: 0,
  SEND_INTERVAL_MS: 1000,
  SHOP_URL: 'http://shop.test',
  ALERT_EMAIL: 'ops@shop.test',
  WEBHOOK_ALLOW_INTERNAL_TARGETS: true,
  WEBHOOK_INTERVAL_MS: 20,
  WEBHOOK_TIMEOUT_MS: 400,
  WEBHOOK_RETRY_BASE_MS: 40,
  WEBHOOK_RETRY_CAP_MS: 160,
  WEBHOOK_PROBE_CAP_MS: 160,
  WEBHOOK_GIVE_UP_AFTER_MS: 1500,
  WEBHOOK_LOG_RETENTION_DAYS: 30,
};

beforeAll(async () => {
  database = await createTestDatabase(inject('postgresUrl'), { migrations });
  const tokens = await createTestTokens();
  const verify = createTokenVerifier({
    keys: tokens.keys,
    issuer: tokens.issuer,
    audience: 'bazaar',
  });
  app = await buildApp({ config: settings, db: database.pool, verify, queued: new EventEmitter() });
  // The same shop as production runs it: internal targets refused.
  guardedDatabase = await createTestDatabase(inject('postgresUrl'), { migrations });
  guarded = await buildApp({
    config: { ...settings, WEBHOOK_ALLOW_INTERNAL_TARGETS: false },
    db: guardedDatabase.pool,
    verify,
    queued: new EventEmitter(),
  });
  adminToken = await tokens.sign({ role: 'admin', audience: 'bazaar' });
});

afterAll(async () => {
  await app?.close();
  await guarded?.close();
  for (const server of receivers) server.closeAllConnections();
  await Promise.all(receivers.map((server) => new Promise((resolve) => server.close(resolve))));
  await database?.drop();
  await guardedDatabase?.drop();
});

type Received = { headers: IncomingHttpHeaders; body: string; status?: number };
type Behaviour = 'ok' | 'fail' | 'hang' | 'reset' | { redirectTo: string };

/** An HTTP receiver on 127.0.0.1 that answers each request as `behave` says for that count. */
async function receiver(behave: (count: number) => Behaviour = () => 'ok') {
  const received: Received[] = [];
  let count = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      count += 1;
      const behaviour = behave(count);
      if (behaviour === 'hang') return;
      if (behaviour === 'reset') return request.socket.destroy();
      if (typeof behaviour === 'object') {
        response.writeHead(307, { location: behaviour.redirectTo }).end();
        return;
      }
      received.push({
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        status: behaviour === 'ok' ? 200 : 500,
      });
      response
        .writeHead(behaviour === 'ok' ? 200 : 500, { 'content-type': 'text/plain' })
        .end(behaviour === 'ok' ? 'thanks' : 'receiver broke');
    });
  });
  receivers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, received, requests: () => count };
}

/**
 * What docs/webhooks.md tells a receiver to do, and nothing else: the signed content is
 * `<webhook-id>.<webhook-timestamp>.<body>`, the key the base64 after `whsec_`, each `v1,`
 * signature compared in constant time, the timestamp within five minutes.
 */
function verifiedByReceiver(secret: string, { headers, body }: Received): boolean {
  const id = String(headers['webhook-id']);
  const timestamp = String(headers['webhook-timestamp']);
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
    .update(`${id}.${timestamp}.${body}`)
    .digest();
  return String(headers['webhook-signature'])
    .split(' ')
    .some((signature) => {
      const [version, value = ''] = signature.split(',');
      const given = Buffer.from(value, 'base64');
      return (
        version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected)
      );
    });
}

const send = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, on = app) =>
  on.inject({
    method,
    url,
    headers: { authorization: `Bearer ${adminToken}` },
    ...(payload && { payload }),
  });

async function subscribe(
  url: string,
  eventTypes: string[] = ['order.confirmed.v1', 'order.shipped.v1'],
) {
  const created = await send('POST', '/api/admin/webhooks', { url, eventTypes });
  expect(created.statusCode, created.body).toBe(201);
  return created.json() as { id: string; secret: string; createdAt: string };
}

/** An event as the bus hands it to notifications. */
async function happen(type: EventType, subject: string, data: object, time = new Date()) {
  const event = {
    specversion: '1.0' as const,
    id: randomUUID(),
    source: 'test',
    type,
    subject,
    time: time.toISOString(),
    datacontenttype: 'application/json' as const,
    data,
  };
  await applyOnce(
    {
      consumer: 'notifications',
      db: database.pool,
      handlers: eventHandlers({
        shopUrl: 'http://shop.test',
        alertEmail: undefined,
        sending: false,
      }),
      onError: () => {},
    },
    event,
    'postgres',
  );
  return event;
}

const shipped = (orderId: string, trackingNumber = 'T1', time?: Date) =>
  happen(
    'order.shipped.v1',
    orderId,
    { orderId, userId: null, carrier: 'DHL', trackingNumber },
    time,
  );

async function deliveries(subscriptionId: string) {
  const answer = await send('GET', `/api/admin/webhooks/${subscriptionId}/deliveries?limit=100`);
  expect(answer.statusCode, answer.body).toBe(200);
  return answer.json().items as Array<{
    id: string;
    eventId: string;
    status: string;
    attempts: Array<{
      statusCode: number | null;
      error: string | null;
      responseSnippet: string | null;
      durationMs: number;
    }>;
  }>;
}

describe('outbound webhooks', () => {
  test('a subscriber gets the events of its types, signed so that a receiver written from the docs accepts them, and every attempt is logged', async () => {
    const shop = await receiver();
    const { id, secret } = await subscribe(shop.url);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const listed = await send('GET', '/api/admin/webhooks');
    expect(JSON.stringify(listed.json())).not.toContain(secret);

    const orderId = randomUUID();
    const event = await shipped(orderId);
    await happen('inventory.stock.low.v1', 'LGT-05-SND', {
      sku: 'LGT-05-SND',
      available: 1,
      threshold: 5,
    });
    await waitFor(
      () => shop.received.length,
      (count) => count >= 1,
      { timeoutMs: 5000 },
    );

    const [delivery] = shop.received;
    expect(delivery?.headers['webhook-id']).toBe(event.id);
    expect(JSON.parse(delivery?.body ?? '')).toEqual({
      specversion: '1.0',
      id: event.id,
      source: 'test',
      type: 'order.shipped.v1',
      subject: orderId,
      time: event.time,
      datacontenttype: 'application/json',
      data: event.data,
    });
    expect(verifiedByReceiver(secret, delivery as Received)).toBe(true);
    expect(
      verifiedByReceiver(secret, { ...(delivery as Received), body: `${delivery?.body} ` }),
    ).toBe(false);
    const log = await waitFor(
      () => deliveries(id),
      (items) => items[0]?.status === 'delivered',
      { timeoutMs: 5000 },
    );
    expect(log).toHaveLength(1);
    expect(log[0]?.attempts).toEqual([
      expect.objectContaining({ statusCode: 200, error: null, responseSnippet: 'thanks' }),
    ]);
    expect(shop.requests()).toBe(1);
  });

  test('a subscription gets the events of the millisecond it was made (events carry milliseconds), and none from before', async () => {
    const shop = await receiver();
    const { id, createdAt } = await subscribe(shop.url);
    const made = Date.parse(createdAt);
    await shipped(randomUUID(), 'T1', new Date(made - 1));
    const sameMillisecond = await shipped(randomUUID(), 'T2', new Date(made));
    const log = await waitFor(
      () => deliveries(id),
      (items) => items.some((item) => item.status === 'delivered'),
      { timeoutMs: 5000 },
    );
    expect(log.map((item) => item.eventId)).toEqual([sameMillisecond.id]);
  });

  test('a receiver that answers 500, times out, resets the connection, then recovers gets the event once it does, with the same webhook-id', async () => {
    const flaky = await receiver(
      (count) => (['fail', 'hang', 'reset'] as const)[count - 1] ?? 'ok',
    );
    const { id } = await subscribe(flaky.url);
    const event = await shipped(randomUUID());

    const [delivery] = await waitFor(
      () => deliveries(id),
      (items) => items[0]?.status === 'delivered',
      { timeoutMs: 10_000 },
    );
    expect(delivery?.attempts.map((attempt) => attempt.statusCode ?? attempt.error)).toEqual([
      500,
      'timed out',
      expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET|other side closed/),
      200,
    ]);
    expect(delivery?.attempts[1]?.durationMs).toBeGreaterThanOrEqual(380);
    expect(flaky.received.map((received) => received.headers['webhook-id'])).toEqual([
      event.id,
      event.id,
    ]);
  });

  test("an order's events reach a receiver in order even when the first needed retries, and a dead receiver does not hold up another subscription", async () => {
    const ordered = await receiver((count) => (count <= 2 ? 'fail' : 'ok'));
    const dead = await receiver(() => 'hang');
    const { id: orderedId } = await subscribe(ordered.url);
    const { id: deadId } = await subscribe(dead.url);
    const orderId = randomUUID();
    for (const trackingNumber of ['A', 'B', 'C', 'D']) await shipped(orderId, trackingNumber);
    const others = await Promise.all([1, 2, 3].map(() => shipped(randomUUID())));

    const answered = () => ordered.received.filter((received) => received.status === 200);
    const ofOrder = () =>
      answered()
        .map((received) => JSON.parse(received.body).data)
        .filter((data) => data.orderId === orderId)
        .map((data) => data.trackingNumber);
    await waitFor(ofOrder, (tracking) => tracking.length === 4, { timeoutMs: 10_000 });
    expect(ofOrder()).toEqual(['A', 'B', 'C', 'D']);
    await waitFor(
      () => answered().length,
      (count) => count === 4 + others.length,
      { timeoutMs: 5000 },
    );
    // The dead receiver is still being tried, one delivery at a time.
    const stuck = await deliveries(deadId);
    expect(stuck.every((delivery) => delivery.status === 'pending')).toBe(true);
    expect(dead.requests()).toBeLessThan(stuck.length);
    // The receiver has answered each; the sender records it as delivered a moment after.
    await waitFor(
      () => deliveries(orderedId),
      (items) =>
        items.length === 4 + others.length &&
        items.every((delivery) => delivery.status === 'delivered'),
      { timeoutMs: 5000 },
    );
  });

  test('a delivery failing past the give-up time disables its subscription and alerts the shop; enabled again and replayed, it is delivered', async () => {
    let up = false;
    const down = await receiver(() => (up ? 'ok' : 'fail'));
    const { id } = await subscribe(down.url);
    const event = await shipped(randomUUID());

    const disabled = await waitFor(
      async () => (await send('GET', `/api/admin/webhooks/${id}`)).json(),
      (subscription) => subscription.enabled === false,
      { timeoutMs: 10_000 },
    );
    expect(disabled.disabledReason).toMatch(
      new RegExp(`^a delivery of event ${event.id} failed for \\d+ h \\(HTTP 500\\)$`),
    );
    const [given] = await deliveries(id);
    expect(given?.status).toBe('failed');
    expect(given?.attempts.length).toBeGreaterThanOrEqual(3);
    const { rows } = await database.pool.query(
      `SELECT to_address, subject FROM messages WHERE kind = 'webhook_disabled' AND subject LIKE $1`,
      [`%${down.url}`],
    );
    expect(rows).toEqual([
      { to_address: 'ops@shop.test', subject: `Webhook disabled: ${down.url}` },
    ]);
    // Disabled: a new event is kept for replays but not queued.
    await shipped(randomUUID());
    expect(await deliveries(id)).toHaveLength(1);

    up = true;
    const enabled = await send('PATCH', `/api/admin/webhooks/${id}`, { enabled: true });
    expect(enabled.json()).toMatchObject({ enabled: true, disabledReason: null, failing: false });
    const replayed = await send('POST', `/api/admin/webhooks/${id}/deliveries/${given?.id}/replay`);
    expect(replayed.statusCode).toBe(202);
    await waitFor(
      () => down.received.filter((received) => received.headers['webhook-id'] === event.id).length,
      (count) => count >= 2,
      { timeoutMs: 5000 },
    );
    const since = await send('POST', `/api/admin/webhooks/${id}/replay`, {
      since: event.time,
    });
    expect(since.json()).toEqual({ deliveries: 2 });
    await waitFor(
      () => deliveries(id),
      (items) => items.every((item) => item.status !== 'pending'),
      {
        timeoutMs: 5000,
      },
    );
  });

  test('after a secret is rotated both secrets sign until the overlap ends; a 307 is followed', async () => {
    const target = await receiver();
    const redirecting = await receiver(() => ({ redirectTo: target.url }));
    const { id, secret: before } = await subscribe(redirecting.url);
    const rotated = await send('POST', `/api/admin/webhooks/${id}/rotate-secret`, {
      overlapSeconds: 3600,
    });
    expect(rotated.statusCode).toBe(200);
    const { secret: after, previousSecretExpiresAt } = rotated.json();
    expect(after).not.toBe(before);
    expect(Date.parse(previousSecretExpiresAt) - Date.now()).toBeGreaterThan(3500_000);

    await shipped(randomUUID());
    await waitFor(
      () => target.received.length,
      (count) => count === 1,
      { timeoutMs: 5000 },
    );
    const [delivery] = target.received as [Received];
    expect(String(delivery.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifiedByReceiver(before, delivery)).toBe(true);
    expect(verifiedByReceiver(after, delivery)).toBe(true);

    await send('POST', `/api/admin/webhooks/${id}/rotate-secret`, { overlapSeconds: 0 });
    const latest = (
      await send('POST', `/api/admin/webhooks/${id}/rotate-secret`, { overlapSeconds: 0 })
    ).json();
    await shipped(randomUUID());
    await waitFor(
      () => target.received.length,
      (count) => count === 2,
      { timeoutMs: 5000 },
    );
    const second = target.received[1] as Received;
    expect(String(second.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verifiedByReceiver(latest.secret, second)).toBe(true);
    expect(verifiedByReceiver(after, second)).toBe(false);
  });
});

describe('webhook targets', () => {
  test.for([
    ['http://127.0.0.1:9/x', 'is not an https:// URL'],
    ['https://127.0.0.1/x', 'is an internal address (127.0.0.1)'],
    ['https://localhost/x', 'is an internal address'],
    ['https://169.254.169.254/latest/meta-data/', 'is an internal address (169.254.169.254)'],
    ['https://10.1.2.3/x', 'is an internal address (10.1.2.3)'],
    ['https://[::1]/x', 'is an internal address (::1)'],
    ['https://[::ffff:192.168.1.1]/x', 'is an internal address'],
    ['https://user:secret@example.com/x', 'carries credentials: put them in the receiver'],
    ['not a url', 'is not a URL'],
  ])('%s is refused with a problem naming url', async ([url, message]) => {
    const refused = await send(
      'POST',
      '/api/admin/webhooks',
      { url, eventTypes: ['order.shipped.v1'] },
      guarded,
    );
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json().errors).toEqual([
      { field: 'url', in: 'body', message: expect.stringContaining(message as string) },
    ]);
  });

  test('the guarded connection refuses an internal address even where the URL passed (a redirect, a DNS answer that changed), unless allowed', async () => {
    const local = await receiver();
    const post = async (allowInternal: boolean) =>
      fetch(local.url, {
        method: 'POST',
        body: '{}',
        // @ts-expect-error undici's dispatcher option, which Node's fetch takes
        dispatcher: await guardedAgent({ allowInternal, timeoutMs: 1000 }),
      }).then(
        (response) => String(response.status),
        (error: Error & { cause?: Error }) => error.cause?.message ?? error.message,
      );
    expect(await post(false)).toBe('127.0.0.1 is an internal address (127.0.0.1)');
    expect(await post(true)).toBe('200');
    for (const address of [
      '100.64.0.1',
      '172.20.0.1',
      '192.168.0.10',
      'fd00::1',
      'fe80::1',
      '0.0.0.0',
    ]) {
      expect(isInternalAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.215.14', '2606:4700:4700::1111', '172.32.0.1']) {
      expect(isInternalAddress(address), address).toBe(false);
    }
  });

  test('the dev-only setting that lets webhooks reach internal addresses stops a production process at boot', () => {
    expect(() =>
      readConfig({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://db/x',
        WEBHOOK_ALLOW_INTERNAL_TARGETS: 'true',
      }),
    ).toThrow(/WEBHOOK_ALLOW_INTERNAL_TARGETS: dev-only, refused when NODE_ENV=production/);
  });
});
