import { devAdmin } from '@bazaar/testing/shop-client';
import { startTunedShop, type TunedShop } from '@bazaar/testing/tuned-shop';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';

/**
 * Guessing passwords, as an attacker on the internet does. The shop stands behind one trusted
 * proxy here, so each request can come from an address of its own (X-Forwarded-For).
 */
let shop: TunedShop;

beforeAll(async () => {
  shop = await startTunedShop(inject('postgresUrl'), { everyService: { TRUST_PROXY_HOPS: '1' } });
});

afterAll(async () => {
  await shop?.shop.stop();
});

const signIn = (password: string, address: string) =>
  fetch(`${shop.shop.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ email: devAdmin.email, password }),
  });

test("a stranger guessing the admin's password is slowed, the admin still signs in, and the attack is counted for the alert", async ({
  annotate,
}) => {
  const failures = async () => ({
    wrong: await shop.shop.metric(
      'identity',
      'bazaar_sign_in_failures_total',
      'account="admin",outcome="wrong_password"',
    ),
    throttled: await shop.shop.metric(
      'identity',
      'bazaar_sign_in_failures_total',
      'account="admin",outcome="throttled"',
    ),
  });
  const before = await failures();
  const statuses: number[] = [];
  for (let guess = 0; guess < 30; guess += 1) {
    statuses.push((await signIn(`guess number ${guess}`, '203.0.113.66')).status);
  }
  // Spread over addresses, each stays under the per-address cap.
  for (let address = 1; address <= 10; address += 1) {
    statuses.push((await signIn('another guess!', `198.51.100.${address}`)).status);
  }

  const admin = await signIn(devAdmin.password, '192.0.2.10');

  await annotate(`answers to 40 guesses: ${JSON.stringify(statuses)}`);
  expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
  expect(statuses.slice(5, 30).every((status) => status === 429)).toBe(true);
  expect(statuses.slice(30)).toEqual(Array(10).fill(401));
  expect(admin.status).toBe(200);
  const after = await failures();
  expect({
    wrong: after.wrong - before.wrong,
    throttled: after.throttled - before.throttled,
  }).toEqual({ wrong: 15, throttled: 25 });
});
