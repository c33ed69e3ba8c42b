import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { EventType } from '@bazaar/contracts/events';
import { createTestDatabase, type TestDatabase } from '@bazaar/db/test-database';
import { applyOnce, type Subscription } from '@bazaar/events/inbox';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { createTokenVerifier } from '@bazaar/service-kit/auth';
import { type SmtpSink, startSmtpSink } from '@bazaar/testing/smtp-sink';
import { createTestTokens, type TestTokens } from '@bazaar/testing/test-tokens';
import { until } from '@bazaar/testing/until';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { buildApp } from '../src/app.js';
import { migrations } from '../src/config.js';
import { smtpMailer } from '../src/domain/smtp-mailer.js';
import { eventHandlers as notificationHandlers } from '../src/events/index.js';

let database: TestDatabase;
let smtp: SmtpSink;
let app: ServiceApp;
let tokens: TestTokens;
let closeMailer: () => void;
const queued = new EventEmitter();

const handlers = () =>
  notificationHandlers({ shopUrl: 'http://shop.test', alertEmail: undefined, sending: true });

beforeAll(async () => {
  database = await createTestDatabase(inject('postgresUrl'), { migrations: migrations });
  smtp = await startSmtpSink();
  tokens = await createTestTokens();
  const mailer = smtpMailer(smtp.url, 'Bazaar <shop@bazaar.test>');
  closeMailer = mailer.close;
  app = await buildApp({
    config: {
      LOG_LEVEL: 'silent',
      BODY_LIMIT_BYTES: 1_048_576,
      TRUST_PROXY_HOPS: 0,
      // Only a wake-up sends (`queued`): the fallback's look is 10 minutes away.
      SEND_INTERVAL_MS: 600_000,
      SHOP_URL: 'http://shop.test',
      ALERT_EMAIL: undefined,
      WEBHOOK_ALLOW_INTERNAL_TARGETS: false,
      WEBHOOK_INTERVAL_MS: 500,
      WEBHOOK_TIMEOUT_MS: 10_000,
      WEBHOOK_RETRY_BASE_MS: 30_000,
      WEBHOOK_RETRY_CAP_MS: 1_800_000,
      WEBHOOK_PROBE_CAP_MS: 60_000,
      WEBHOOK_GIVE_UP_AFTER_MS: 259_200_000,
      WEBHOOK_LOG_RETENTION_DAYS: 30,
    },
    db: database.pool,
    verify: createTokenVerifier({ keys: tokens.keys, issuer: tokens.issuer, audience: 'bazaar' }),
    mailer: mailer.mail,
    queued,
  });
});

afterAll(async () => {
  await app.close();
  closeMailer();
  await smtp.close();
  await database.drop();
});

/** The consumer as the service runs it: what it applied wakes the sender. */
const subscription = (): Subscription => ({
  consumer: 'notifications',
  db: database.pool,
  handlers: handlers(),
  onError: () => {},
  afterApplied: async () => {
    queued.emit('queued');
  },
});

async function deliver(type: EventType, data: object) {
  const event = {
    specversion: '1.0' as const,
    id: randomUUID(),
    source: 'test',
    type,
    subject: 'x',
    time: new Date().toISOString(),
    datacontenttype: 'application/json' as const,
    data,
  };
  await applyOnce(subscription(), event, 'postgres');
  return event;
}

test('a confirmed order is mailed as a receipt, in text and HTML, through a real SMTP server', async () => {
  const orderId = randomUUID();
  const email = `ada-${orderId.slice(0, 6)}@example.com`;
  await deliver('order.confirmed.v1', {
    orderId,
    userId: randomUUID(),
    email,
    lines: [
      {
        sku: 'LGT-05-SND',
        name: 'Oak Desk Lamp (Sand)',
        quantity: 2,
        unitPrice: { amount: 4500, currency: 'USD' },
      },
    ],
    total: { amount: 9499, currency: 'USD' },
  });
  await until(() =>
    smtp.received.some((mail) => mail.subject?.includes(orderId.slice(0, 8).toUpperCase())),
  );
  const mail = smtp.received.find((candidate) => candidate.text?.includes('Oak Desk Lamp'));
  expect(mail?.to).toMatchObject({ text: email });
  expect(mail?.text).toContain('$94.99');
  expect(mail?.html).toContain('<td>Oak Desk Lamp (Sand)</td>');
  expect(mail?.messageId).toMatch(/@bazaar>$/);
});

test('a shipped order goes to the address learnt at registration; the same event twice sends once', async () => {
  const userId = randomUUID();
  const email = `grace-${userId.slice(0, 6)}@example.com`;
  await deliver('identity.user.registered.v1', { userId, email, name: 'Grace <b>Hopper</b>' });
  const shippedEvent = await deliver('order.shipped.v1', {
    orderId: randomUUID(),
    userId,
    carrier: 'DHL',
    trackingNumber: 'JD0123',
  });
  await applyOnce(subscription(), shippedEvent, 'postgres');
  // Everything for Grace has left the log's queue: what the SMTP server got is all there will be.
  await until(async () => {
    const { rows } = await database.pool.query(
      "SELECT count(*)::int AS n FROM messages WHERE to_address = $1 AND status = 'queued'",
      [email],
    );
    return rows[0].n === 0;
  });
  const toGrace = smtp.received.filter(
    (mail) => mail.to && 'text' in mail.to && mail.to.text === email,
  );
  expect(toGrace.map((mail) => mail.subject)).toEqual([
    'Welcome to Bazaar',
    expect.stringMatching(/has shipped$/),
  ]);
  expect(toGrace[0]?.html).toContain('Grace &#60;b&#62;Hopper&#60;/b&#62;');
  expect(toGrace[1]?.text).toContain('JD0123');
});

test("an order confirmed with a customer's new address teaches it: the next mail without one goes there", async () => {
  const userId = randomUUID();
  const before = `old-${userId.slice(0, 6)}@example.com`;
  const after = `new-${userId.slice(0, 6)}@example.com`;
  await deliver('identity.user.registered.v1', { userId, email: before, name: 'Lin' });
  const confirmed = (email: string) => ({
    orderId: randomUUID(),
    userId,
    email,
    lines: [],
    total: { amount: 100, currency: 'USD' },
  });
  await deliver('order.confirmed.v1', confirmed(before));
  await deliver('order.confirmed.v1', confirmed(after));
  const orderId = randomUUID();
  await deliver('order.shipped.v1', { orderId, userId, carrier: 'DHL', trackingNumber: 'JD0456' });
  const { rows } = await database.pool.query(
    "SELECT to_address FROM messages WHERE kind = 'shipped' AND text_body LIKE '%JD0456%'",
  );
  expect(rows).toEqual([{ to_address: after }]);
});

test('a sign-up is mailed a link to confirm the address, with nothing the registrant wrote; a repeated sign-up a note', async () => {
  const userId = randomUUID();
  const email = `new-${userId.slice(0, 6)}@example.com`;
  const token = 'T'.repeat(43);
  await deliver('identity.email.verification_requested.v1', { userId, email, token });
  await deliver('identity.sign_up.repeated.v1', { email });
  await until(
    () =>
      smtp.received.filter((mail) => mail.to && 'text' in mail.to && mail.to.text === email)
        .length === 2,
  );
  const toNew = smtp.received.filter(
    (mail) => mail.to && 'text' in mail.to && mail.to.text === email,
  );
  const confirm = toNew.find((mail) => mail.subject === 'Confirm your email address for Bazaar');
  const repeated = toNew.find((mail) => mail.subject !== confirm?.subject);
  expect(confirm?.text).toContain(`http://shop.test/verify-email?token=${token}`);
  expect(confirm?.text).not.toMatch(/Hello|Dear/);
  expect(repeated?.subject).toBe('Someone tried to sign up with your address');
  expect(repeated?.text).toContain('http://shop.test/signin');
  expect(repeated?.text).not.toContain('verify-email');
});

test('a message the SMTP server refuses is retried until it is sent, never lost', async () => {
  smtp.refuseNext(1);
  const userId = randomUUID();
  const email = `retry-${userId.slice(0, 6)}@example.com`;
  await deliver('identity.user.registered.v1', { userId, email, name: 'Retry' });
  const logged = async () =>
    (
      await database.pool.query('SELECT status, attempts FROM messages WHERE to_address = $1', [
        email,
      ])
    ).rows;
  // The log says sent only once the server took it, so it is what to wait for; each wake-up
  // stands for the sender's timer, which looks again at the messages it could not send.
  await until(async () => {
    queued.emit('queued');
    return (await logged())[0]?.status === 'sent';
  });
  expect(await logged()).toEqual([{ status: 'sent', attempts: 2 }]);
  expect(
    smtp.received.filter((mail) => mail.to && 'text' in mail.to && mail.to.text === email),
  ).toHaveLength(1);
}, 15_000);

test('the admin sees the mail log; a customer may not', async () => {
  const admin = await tokens.sign({ role: 'admin', audience: 'bazaar' });
  const response = await app.inject({
    method: 'GET',
    url: '/api/admin/notifications?limit=2',
    headers: { authorization: `Bearer ${admin}` },
  });
  expect(response.statusCode).toBe(200);
  const page = response.json();
  expect(page.items).toHaveLength(2);
  expect(page.items[0]).toMatchObject({ status: expect.any(String), subject: expect.any(String) });
  expect(page.nextCursor).toEqual(expect.any(String));
  const customer = await tokens.sign({ role: 'customer', audience: 'bazaar' });
  const refused = await app.inject({
    method: 'GET',
    url: '/api/admin/notifications',
    headers: { authorization: `Bearer ${customer}` },
  });
  expect(refused.statusCode).toBe(403);
});
