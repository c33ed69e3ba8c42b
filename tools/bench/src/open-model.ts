import { randomUUID } from 'node:crypto';
import { goodCard, shippingAddress } from '@bazaar/testing/shop-client';
import { Pool } from 'undici';
import {
  jsonRequests,
  type Percentiles,
  percentiles,
  pickSkus,
  warmUpSeconds,
} from './checkout-load.js';

export type RateFigures = {
  /** Journeys started a second, as scheduled. */
  rate: number;
  started: number;
  confirmed: number;
  /** Answers other than a confirmed order, by status and problem code (`timeout`: none in 10 s). */
  failures: Record<string, number>;
  /** From each journey's scheduled start to its checkout's answer, in ms. */
  journeyMs: Percentiles;
};

export type OpenModelFigures = {
  seconds: number;
  rates: RateFigures[];
  /** The highest rate whose p99 was under 250 ms with every journey confirmed, if any was. */
  highestGoodRate: number | undefined;
};

const goodP99Ms = 250;
const requestTimeoutMs = 10_000;

/**
 * Shoppers arriving at fixed rates, whatever the shop's pace (an open model, like wrk2 or k6's
 * constant-arrival-rate): at each rate, for `seconds`, a new guest starts a journey every
 * 1/rate s (1-3 items added, then the guest's checkout with the test card), and its time counts
 * from when it was due to start, so a shop that falls behind shows it in full, not hidden by
 * fewer requests (no coordinated omission). Rates are run in the order given, each after the
 * last one's journeys ended; one that fails to stay under 250 ms at p99 with none failed ends
 * the run, since a higher one would too. Five seconds at the first rate warm the shop up first.
 */
export async function runOpenModel(options: {
  url: string;
  rates: readonly number[];
  seconds: number;
  skus: readonly string[];
}): Promise<OpenModelFigures> {
  const pool = new Pool(options.url, {
    connections: 512,
    headersTimeout: requestTimeoutMs,
    bodyTimeout: requestTimeoutMs,
  });
  const request = jsonRequests(pool);
  const journey = async (): Promise<string | undefined> => {
    let cartToken: string | undefined;
    for (const sku of pickSkus(options.skus)) {
      const added = await request(
        'POST',
        '/api/cart/items',
        { sku, quantity: 1 },
        cartToken ? { 'x-cart-token': cartToken } : {},
      );
      if (added.status !== 200) return `add ${added.status} ${added.body?.code ?? ''}`.trim();
      cartToken = added.body.cartToken;
    }
    const answer = await request(
      'POST',
      '/api/checkout',
      { email: 'open-model@example.com', shippingAddress, payment: goodCard },
      { 'x-cart-token': cartToken ?? '', 'idempotency-key': randomUUID() },
    );
    if (answer.status === 201 && answer.body.status === 'confirmed') return undefined;
    return `${answer.status} ${answer.body?.code ?? answer.body?.status ?? ''}`.trim();
  };

  const rates: RateFigures[] = [];
  try {
    await runRate(options.rates[0] ?? 10, warmUpSeconds, journey);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    for (const rate of options.rates) {
      const figures = await runRate(rate, options.seconds, journey);
      rates.push(figures);
      if (!isGood(figures)) break;
      // The last rate's events (mail, stock) settle before the next begins.
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  } finally {
    await pool.close();
  }
  return {
    seconds: options.seconds,
    rates,
    highestGoodRate: rates.filter(isGood).at(-1)?.rate,
  };
}

const isGood = (figures: RateFigures) =>
  figures.confirmed === figures.started && figures.journeyMs.p99 < goodP99Ms;

async function runRate(
  rate: number,
  seconds: number,
  journey: () => Promise<string | undefined>,
): Promise<RateFigures> {
  const total = Math.round(rate * seconds);
  const start = performance.now() + 100;
  const times: number[] = [];
  const failures: Record<string, number> = {};
  const journeys = Array.from({ length: total }, async (_, index) => {
    const due = start + (index * 1000) / rate;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    let failure: string | undefined;
    try {
      failure = await journey();
    } catch (error) {
      failure = (error as { code?: string }).code?.includes('TIMEOUT') ? 'timeout' : 'error';
    }
    if (failure) failures[failure] = (failures[failure] ?? 0) + 1;
    else times.push(performance.now() - due);
  });
  await Promise.all(journeys);
  return { rate, started: total, confirmed: times.length, failures, journeyMs: percentiles(times) };
}
