import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
  /** CPU this load generator used per confirmed journey, in ms: it shares the shop's cores. */
  loadCpuMsPerJourney: number;
  /** The share of the machine's cores that were busy (anyone's work, the kernel's included), 0–1. */
  machineBusy: number;
};

type Answer = Pick<ShopAnswer, 'status' | 'body'>;

/**
 * How long a load runs unmeasured first: a shop just started opens its database connections and
 * compiles its hot code in its first journeys, which a shop that has run a while has long done.
 */
export const warmUpSeconds = 5;

/**
 * A closed loop of `buyers` virtual buyers through the gateway: each signed up beforehand, then
 * again and again adds 1–3 items (distinct SKUs, one of each) and checks out with the test card.
 * Each buyer takes turns between two accounts, so the order it just placed has time to empty its
 * cart (`order.confirmed.v1`) before that account shops again; if it has not, the buyer waits.
 * The first `warmUpSeconds` of shopping are not measured.
 */
export async function runCheckoutLoad(options: {
  url: string;
  buyers: number;
  seconds: number;
  adminToken: string;
  skus: readonly string[];
  /** CPU seconds each of the shop's processes has used so far. */
  cpuSeconds: () => Record<string, number>;
  /**
   * Runs once the buyers are signed up, the stock is in and the shop is warmed up, just before the
   * measured shopping.
   */
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

  const checkoutMs: number[] = [];
  const journeyMs: number[] = [];
  const failures: Record<string, number> = {};
  let cartStillFull = 0;
  const buyers = Array.from({ length: options.buyers }, (_, index) => ({ index, turn: 0 }));
  /** Every buyer shops until `seconds` have passed, each finishing the journey it is on. */
  const shop = (seconds: number, counted: boolean) => {
    const deadline = performance.now() + seconds * 1000;
    return Promise.all(
      buyers.map(async (buyer) => {
        for (; performance.now() < deadline; buyer.turn += 1) {
          const token = accounts[buyer.index * 2 + (buyer.turn % 2)] as string;
          const skus = pickSkus(options.skus);
          const begun = performance.now();
          let cart: Answer | undefined;
          for (const sku of skus)
            cart = await call('POST', '/api/cart/items', token, { sku, quantity: 1 });
          while (cart?.status === 200 && cart.body.itemCount > skus.length) {
            if (counted) cartStillFull += 1;
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
          if (!counted) continue;
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
  };
  await shop(warmUpSeconds, false);
  await options.beforeShopping?.();
  const started = performance.now();
  const cpuAtStart = options.cpuSeconds();
  const loadAtStart = process.cpuUsage();
  const machineAtStart = machineTicks();
  await shop(options.seconds, true);
  const elapsed = (performance.now() - started) / 1000;
  const cpuAtEnd = options.cpuSeconds();
  const load = process.cpuUsage(loadAtStart);
  const machineAtEnd = machineTicks();
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
    loadCpuMsPerJourney: perJourney((load.user + load.system) / 1e6),
    machineBusy:
      Math.round(
        (1 -
          (machineAtEnd.idle - machineAtStart.idle) /
            Math.max(machineAtEnd.total - machineAtStart.total, 1)) *
          100,
      ) / 100,
  };
}

/**
 * The machine's CPU time so far (`/proc/stat`, in ticks, all cores): idle (waiting on I/O too) and
 * in all. The fields after the eighth (guests) are counted within the first already.
 */
function machineTicks(): { idle: number; total: number } {
  const ticks = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
    .split(/\s+/)
    .slice(1, 9)
    .map(Number);
  const total = ticks.reduce((sum, tick) => sum + tick, 0);
  return { idle: (ticks[3] ?? 0) + (ticks[4] ?? 0), total };
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
