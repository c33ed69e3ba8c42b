import { randomUUID } from 'node:crypto';
import {
  goodCard,
  type Answer as ShopAnswer,
  shippingAddress,
  shopClient,
} from '@bazaar/testing/shop-client';
import { signUpBuyers } from '@bazaar/testing/tuned-shop';
import { Pool } from 'undici';

export type CheckoutFigures = {
  buyers: number;
  seconds: number;
  confirmed: number;
  confirmedPerSecond: number;
  /** The `POST /api/checkout` request alone. */
  checkoutMs: Percentiles;
  /** Adding the 1–3 items and checking out, as the buyer waits for it. */
  journeyMs: Percentiles;
  /** Answers other than a confirmed order, by status and problem code. */
  failures: Record<string, number>;
  /** Times a buyer found the previous order's lines still in the cart and waited for the event. */
  cartStillFull: number;
  /** CPU the shop used per confirmed journey (1–3 adds and a checkout), in ms, by process and in all. */
  shopCpuMsPerJourney: Record<string, number>;
};

type Answer = Pick<ShopAnswer, 'status' | 'body'>;

/**
 * A closed loop of `buyers` virtual buyers through the gateway: each signed up beforehand, then
 * again and again adds 1–3 items (distinct SKUs, one of each) and checks out with the test card.
 * Each buyer takes turns between two accounts, so the order it just placed has time to empty its
 * cart (`order.confirmed.v1`) before that account shops again; if it has not, the buyer waits.
 */
export async function runCheckoutLoad(options: {
  url: string;
  buyers: number;
  seconds: number;
  adminToken: string;
  skus: readonly string[];
  /** CPU seconds each of the shop's processes has used so far. */
  cpuSeconds: () => Record<string, number>;
  /** Runs once the buyers are signed up and the stock is in, just before they start shopping. */
  beforeShopping?: () => Promise<void>;
}): Promise<CheckoutFigures> {
  const pool = new Pool(options.url, { connections: options.buyers + 4 });
  const request = jsonRequests(pool);
  const call = (
    method: 'GET' | 'POST',
    path: string,
    token: string,
    body?: unknown,
    headers = {},
  ) => request(method, path, body, { ...headers, authorization: `Bearer ${token}` });

  await stockUp(options.url, options.adminToken, options.skus);
  // Eight at a time: each sign-up is an argon2 hash, which identity runs on libuv's four threads.
  const accounts = await signUpBuyers(shopClient(options.url), options.buyers * 2, 8);
  await options.beforeShopping?.();

  const checkoutMs: number[] = [];
  const journeyMs: number[] = [];
  const failures: Record<string, number> = {};
  let cartStillFull = 0;
  const started = performance.now();
  const cpuAtStart = options.cpuSeconds();
  const deadline = started + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.buyers }, async (_, buyer) => {
      for (let turn = 0; performance.now() < deadline; turn += 1) {
        const token = accounts[buyer * 2 + (turn % 2)] as string;
        const skus = pickSkus(options.skus);
        const begun = performance.now();
        let cart: Answer | undefined;
        for (const sku of skus)
          cart = await call('POST', '/api/cart/items', token, { sku, quantity: 1 });
        while (cart?.status === 200 && cart.body.itemCount > skus.length) {
          cartStillFull += 1;
          await new Promise((resolve) => setTimeout(resolve, 20));
          cart = await call('GET', '/api/cart', token);
        }
        const sent = performance.now();
        const answer = await call(
          'POST',
          '/api/checkout',
          token,
          { shippingAddress, payment: goodCard },
          {
            'idempotency-key': randomUUID(),
          },
        );
        const done = performance.now();
        if (answer.status === 201 && answer.body.status === 'confirmed') {
          checkoutMs.push(done - sent);
          journeyMs.push(done - begun);
        } else {
          const reason =
            `${answer.status} ${answer.body?.code ?? answer.body?.status ?? ''}`.trim();
          failures[reason] = (failures[reason] ?? 0) + 1;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpuAtEnd = options.cpuSeconds();
  const perJourney = (seconds: number) =>
    Math.round((seconds * 10_000) / Math.max(checkoutMs.length, 1)) / 10;
  const shopCpuMsPerJourney = Object.fromEntries(
    Object.entries(cpuAtEnd).map(([name, seconds]) => [
      name,
      perJourney(seconds - (cpuAtStart[name] ?? 0)),
    ]),
  );
  shopCpuMsPerJourney.all = perJourney(
    Object.entries(cpuAtEnd).reduce(
      (sum, [name, seconds]) => sum + seconds - (cpuAtStart[name] ?? 0),
      0,
    ),
  );
  await pool.close();
  return {
    buyers: options.buyers,
    seconds: Math.round(elapsed * 10) / 10,
    confirmed: checkoutMs.length,
    confirmedPerSecond: Math.round((checkoutMs.length / elapsed) * 10) / 10,
    checkoutMs: percentiles(checkoutMs),
    journeyMs: percentiles(journeyMs),
    failures,
    cartStillFull,
    shopCpuMsPerJourney,
  };
}

/** Puts a million of each SKU on the shelf, so that a load runs out of nothing. */
export async function stockUp(url: string, adminToken: string, skus: readonly string[]) {
  for (const sku of skus) {
    const stocked = await fetch(`${url}/api/admin/inventory/${sku}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ onHand: 1_000_000 }),
    });
    if (stocked.status !== 200) throw new Error(`stocking ${sku}: ${stocked.status}`);
  }
}

/** JSON requests through `pool`: each answer's status and parsed body. */
export function jsonRequests(pool: Pool) {
  return async (
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> => {
    const response = await pool.request({
      method,
      path,
      headers: {
        ...headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await response.body.text();
    return { status: response.statusCode, body: text ? JSON.parse(text) : undefined };
  };
}

/** What a journey buys: 1–3 distinct SKUs of `skus`, at random. */
export function pickSkus(skus: readonly string[]): string[] {
  const count = 1 + Math.floor(Math.random() * 3);
  const chosen = new Set<string>();
  while (chosen.size < count) chosen.add(skus[Math.floor(Math.random() * skus.length)] as string);
  return [...chosen];
}

export type Percentiles = { p50: number; p99: number; p999: number };

/** The 50th, 99th and 99.9th percentiles of `values`, rounded (0 for none). */
export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
  return { p50: at(0.5), p99: at(0.99), p999: at(0.999) };
}
