import { randomUUID } from 'node:crypto';
import { services } from '@bazaar/launcher/services';
import {
  type OtlpReceiver,
  type ReceivedSpan,
  startOtlpReceiver,
} from '@bazaar/testing/otlp-receiver';
import { type RunningShop, startShop } from '@bazaar/testing/shop';
import { devAdmin, goodCard, shippingAddress, shopClient } from '@bazaar/testing/shop-client';
import { waitFor } from '@bazaar/testing/until';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';

/**
 * One checkout is one trace: every service exports its spans to an OTLP receiver, as they would
 * to the OpenTelemetry Collector, and the test reads the trace back.
 */
let receiver: OtlpReceiver;
let shop: RunningShop;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const tracing = {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_BSP_SCHEDULE_DELAY: '100',
    LOG_LEVEL: 'info',
  };
  shop = await startShop(
    inject('postgresUrl'),
    Object.fromEntries(services.map((spec) => [spec.name, tracing])),
  );
}, 60_000);

afterAll(async () => {
  await shop?.stop();
  await receiver?.close();
});

const kind = { server: 2, client: 3, producer: 4, consumer: 5 };

test('a checkout is one trace from the gateway through every service, the outbox and the bus to the consumers', async () => {
  const client = shopClient(shop.url);
  const admin = (await client.signIn(devAdmin.email, devAdmin.password)).accessToken;
  const sku = await client.stockedSku(admin, 5);
  const customer = await client.newCustomer();
  await client.cartWith(customer.token, sku, 1);
  const requestId = `checkout-${randomUUID()}`;
  const order = await client.call('POST', '/api/checkout', {
    bearer: customer.token,
    headers: { 'idempotency-key': randomUUID(), 'x-request-id': requestId },
    body: { shippingAddress, payment: goodCard },
  });
  expect(order.status, JSON.stringify(order.body)).toBe(201);

  const checkoutSpan = await waitFor(
    () =>
      receiver
        .spans()
        .find(
          (span) =>
            span.service === 'gateway' &&
            span.name === 'POST /api/checkout' &&
            span.kind === kind.server,
        ),
    (span) => span !== undefined,
    {
      context: () => JSON.stringify(receiver.spans().map((span) => `${span.service} ${span.name}`)),
    },
  );
  const traceId = checkoutSpan?.traceId ?? '';
  const inTrace = () => receiver.spans().filter((span) => span.traceId === traceId);
  // The path of the checkout, each hop a span of the service that made it, down to the consumers.
  const path = [
    ['gateway', 'POST /api/checkout', kind.server],
    ['gateway', 'POST', kind.client],
    ['orders', 'POST /api/checkout', kind.server],
    ['cart', 'GET /internal/carts/:cartId', kind.server],
    ['catalog', 'POST /internal/quotes', kind.server],
    ['inventory', 'POST /internal/reservations', kind.server],
    ['payments', 'POST /internal/payments', kind.server],
    ['orders', 'send order.confirmed.v1', kind.producer],
    ['cart', 'process order.confirmed.v1', kind.consumer],
    ['notifications', 'process order.confirmed.v1', kind.consumer],
  ] as const;
  const missing = (spans: readonly ReceivedSpan[]) =>
    path.filter(
      ([service, name, spanKind]) =>
        !spans.some(
          (span) => span.service === service && span.name === name && span.kind === spanKind,
        ),
    );
  // Every span's parent is in the trace: one tree, not pieces (spans arrive in batches).
  const orphans = (spans: readonly ReceivedSpan[]) => {
    const ids = new Set(spans.map((span) => span.spanId));
    return spans.filter((span) => span.parentSpanId && !ids.has(span.parentSpanId));
  };
  const trace = await waitFor(
    inTrace,
    (spans) => missing(spans).length === 0 && orphans(spans).length === 0,
    {
      timeoutMs: 15_000,
      context: () =>
        `missing: ${JSON.stringify(missing(inTrace()))}\norphans: ${describe(orphans(inTrace()))}\n${describe(inTrace())}`,
    },
  );
  expect(
    trace.filter((span) => !span.parentSpanId).map((span) => `${span.service} ${span.name}`),
  ).toEqual(['gateway POST /api/checkout']);
  // PostgreSQL statements are spans of the request that made them.
  expect(
    trace.some(
      (span) => span.service === 'orders' && span.attributes['db.system.name'] === 'postgresql',
    ),
  ).toBe(true);
  // Redis commands too, where carts live in Redis; the bus span names its transport.
  if (inject('redisUrl')) {
    expect(
      trace.some(
        (span) => span.service === 'cart' && span.attributes['db.system.name'] === 'redis',
      ),
      describe(trace),
    ).toBe(true);
  }
  const sent = trace.find((span) => span.name === 'send order.confirmed.v1');
  expect(sent?.attributes['messaging.system']).toBe(process.env.NATS_URL ? 'nats' : 'postgres');
  // Log lines written while handling the checkout carry its trace id, and the services it called
  // log their part under the request id the client sent.
  expect(shop.output()).toMatch(
    new RegExp(`^orders .*"trace_id":"${traceId}","span_id":"[0-9a-f]{16}"`, 'm'),
  );
  for (const service of ['cart', 'catalog', 'inventory', 'payments']) {
    expect(shop.output()).toMatch(new RegExp(`^${service} .*"request_id":"${requestId}"`, 'm'));
  }
});

test("a client's trace context continues through the gateway to the service, not two of them", async () => {
  const clientTrace = randomUUID().replaceAll('-', '');
  const answer = await fetch(`${shop.url}/api/cart`, {
    headers: { traceparent: `00-${clientTrace}-${'ab'.repeat(8)}-01` },
  });
  expect(answer.status).toBe(200);
  await waitFor(
    () => receiver.spans().filter((span) => span.traceId === clientTrace),
    (spans) => spans.some((span) => span.service === 'cart' && span.name === 'GET /api/cart'),
    { context: () => describe(receiver.spans().slice(-20)) },
  );
});

test('probes and the background loops (relays, consumers waiting, sweepers) make no traces of their own', async () => {
  const markers = () =>
    receiver
      .spans()
      .filter((span) => span.service === 'orders' && span.name === 'GET /api/orders/:id').length;
  const before = markers();
  await fetch(`${shop.urlOf('orders')}/readyz`);
  await fetch(shop.metricsUrlOf('orders'));
  // A request that is traced, after the probes: once its span has arrived, any probe span (sent
  // in the same order, by the same exporter) would have too.
  await fetch(`${shop.urlOf('orders')}/api/orders/${randomUUID()}`);
  await waitFor(markers, (count) => count > before, {
    context: () => describe(receiver.spans().slice(-20)),
  });
  const names = new Set(
    receiver
      .spans()
      .filter((span) => !span.parentSpanId)
      .map((span) => span.name),
  );
  expect([...names].filter((name) => /readyz|healthz|metrics|^SELECT|^pg\./.test(name))).toEqual(
    [],
  );
});

function describe(spans: readonly ReceivedSpan[]): string {
  return spans.map((span) => `${span.service} ${span.kind} ${span.name}`).join('\n');
}

test('with the receiver gone, a service says so in its log and counts the spans it drops', async () => {
  await receiver.close();
  const before = await shop.metric('gateway', 'bazaar_spans_dropped_total');

  await fetch(`${shop.url}/api/products?limit=1`);

  const dropped = await waitFor(
    () => shop.metric('gateway', 'bazaar_spans_dropped_total'),
    (count) => count > before,
    { timeoutMs: 15_000, context: () => shop.output().slice(-2000) },
  );
  expect(dropped).toBeGreaterThan(before);
  expect(shop.output()).toContain('spans are being dropped: the trace receiver is not answering');
});
