// @ts-check
// Confirmed checkouts per second against a running shop (`npm start`), through the gateway.
// Each virtual shopper signs up, then loops for the duration: add a line to the cart, check out
// with a fresh Idempotency-Key and the test card, wait until order.confirmed.v1 has emptied the
// cart. Only 127.0.0.1 is ever called.
// Usage: node tools/bench/checkout.mjs [--shoppers 20] [--seconds 20] [--sku LGT-05-SND]
// Start the shop with RATE_LIMIT_PER_MINUTE=100000000: the default limit is per shopper.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    shoppers: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '20' },
    sku: { type: 'string', default: 'LGT-05-SND' },
    port: { type: 'string', default: '8080' },
  },
});
const base = `http://127.0.0.1:${values.port}`;
const shoppers = Number(values.shoppers);
const seconds = Number(values.seconds);

/** @param {string} path @param {{method?: string, token?: string, body?: unknown, headers?: Record<string, string>}} options */
async function call(path, options = {}) {
  const response = await fetch(`${base}${path}`, {
    method: options.method ?? 'GET',
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: response.status, body: await response.json().catch(() => undefined) };
}

const admin = await call('/api/auth/login', {
  method: 'POST',
  body: { email: 'admin@bazaar.local', password: 'bazaar-admin-dev' },
});
if (admin.status !== 200) throw new Error(`admin sign-in failed: ${admin.status}`);
// Enough stock that the benchmark measures checkouts, not sold-out answers.
await call(`/api/admin/inventory/${values.sku}`, {
  method: 'PUT',
  token: admin.body.accessToken,
  body: { onHand: 1_000_000 },
});

const tokens = [];
for (let index = 0; index < shoppers; index += 1) {
  const answer = await call('/api/auth/register', {
    method: 'POST',
    body: {
      email: `bench-${randomUUID()}@example.com`,
      password: 'benchmark password 1',
      name: 'Bench',
    },
  });
  if (answer.status !== 201) throw new Error(`sign-up failed: ${answer.status}`);
  tokens.push(answer.body.accessToken);
}

const address = {
  name: 'Bench',
  line1: '1 Load Street',
  city: 'Testing',
  postalCode: '1',
  country: 'GB',
};
/** @type {number[]} */
const latencies = [];
/** @type {Record<string, number>} */
const failures = {};
const deadline = Date.now() + seconds * 1000;
const started = performance.now();
await Promise.all(
  tokens.map(async (token) => {
    while (Date.now() < deadline) {
      await call('/api/cart/items', {
        method: 'POST',
        token,
        body: { sku: values.sku, quantity: 1 },
      });
      const begun = performance.now();
      const answer = await call('/api/checkout', {
        method: 'POST',
        token,
        headers: { 'idempotency-key': randomUUID() },
        body: {
          shippingAddress: address,
          payment: { method: 'card', cardNumber: '4242424242424242' },
        },
      });
      if (answer.status === 201) latencies.push(performance.now() - begun);
      else {
        const reason = `${answer.status} ${answer.body?.code ?? ''}`.trim();
        failures[reason] = (failures[reason] ?? 0) + 1;
      }
      // As a shopper would, start the next order once the cart has emptied itself (an event away).
      for (let wait = 0; wait < 50; wait += 1) {
        const cart = await call('/api/cart', { token });
        if (cart.body?.items?.length === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }),
);
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const percentile = (/** @type {number} */ p) =>
  Math.round(
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0,
  );
process.stdout.write(
  `${JSON.stringify(
    {
      shoppers,
      seconds: Math.round(elapsed),
      confirmed: latencies.length,
      confirmedPerSecond: Number((latencies.length / elapsed).toFixed(1)),
      checkoutLatencyMs: { p50: percentile(50), p95: percentile(95), p99: percentile(99) },
      failures,
    },
    null,
    2,
  )}\n`,
);
