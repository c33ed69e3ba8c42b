import { startTunedShop, type TunedShop } from '@bazaar/testing/tuned-shop';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';

/** The gateway's rate limit, as a client hammering it sees it. */
const limit = 120;
let shop: TunedShop;

beforeAll(async () => {
  shop = await startTunedShop(inject('postgresUrl'), { rateLimitPerMinute: limit });
});

afterAll(async () => {
  await shop?.shop.stop();
});

test(`a signed-in client sending 3x its limit of ${limit} a minute: within 5% of ${limit} admitted, the rest 429 with Retry-After`, async ({
  annotate,
}) => {
  const { token } = await shop.client.newCustomer();
  const answers = await Promise.all(
    Array.from({ length: 3 * limit }, () =>
      fetch(`${shop.shop.url}/api/cart`, { headers: { authorization: `Bearer ${token}` } }),
    ),
  );
  const admitted = answers.filter((answer) => answer.status === 200).length;
  const limited = answers.filter((answer) => answer.status === 429);
  await annotate(`${admitted} admitted, ${limited.length} limited`);

  expect(Math.abs(admitted - limit)).toBeLessThanOrEqual(limit * 0.05);
  expect(admitted + limited.length).toBe(3 * limit);
  for (const answer of limited) {
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
  }
  // Another client is counted apart: the first one's flood does not lock it out.
  const other = await shop.client.newCustomer();
  const answer = await fetch(`${shop.shop.url}/api/cart`, {
    headers: { authorization: `Bearer ${other.token}` },
  });
  expect(answer.status).toBe(200);
});
