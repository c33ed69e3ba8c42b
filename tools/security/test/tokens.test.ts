import { createHmac, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { accessTokenType } from '@bazaar/service-kit/auth';
import { startTunedShop, type TunedShop } from '@bazaar/testing/tuned-shop';
import { waitFor } from '@bazaar/testing/until';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';

/**
 * Forged and bent access tokens, against the gateway and against a service directly (every service
 * checks tokens again). To sign tokens with a key the shop trusts, the suite adds a public key of
 * its own to identity's published keys, marked retired, so identity never signs with it.
 */
let shop: TunedShop;
let customer: { token: string; refreshToken: string; userId: string };
let sign: (claims: JWTPayload, header?: Record<string, unknown>) => Promise<string>;
let publicJwk: Record<string, unknown>;
let lured: string[];
let lureUrl: string;
const closeLure: Array<() => void> = [];

beforeAll(async () => {
  shop = await startTunedShop(inject('postgresUrl'));
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const kid = `security-suite-${randomUUID().slice(0, 8)}`;
  publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  await shop.shop.db('identity').query(
    `INSERT INTO signing_keys (kid, algorithm, public_jwk, private_jwk_sealed, retired_at)
       VALUES ($1, 'EdDSA', $2, 'never used', now())`,
    [kid, publicJwk],
  );
  // After the key: a gateway that fetched the keys just before it was added would wait out the
  // JWKS refetch cooldown before learning it.
  customer = await shop.client.newCustomer();
  sign = (claims, header = {}) =>
    new SignJWT({ role: 'customer', ...claims })
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: accessTokenType, ...header })
      .sign(privateKey);
  // Where a token's jku or x5u points: nothing may ever fetch it.
  lured = [];
  const lure = createServer((request, response) => {
    lured.push(request.url ?? '');
    response.end('{"keys":[]}');
  });
  await new Promise<void>((resolve) => lure.listen(0, '127.0.0.1', resolve));
  lureUrl = `http://127.0.0.1:${(lure.address() as AddressInfo).port}/jwks.json`;
  closeLure.push(() => lure.close());
});

afterAll(async () => {
  for (const close of closeLure) close();
  await shop?.shop.stop();
});

const now = () => Math.floor(Date.now() / 1000);
const claims = (overrides: JWTPayload = {}): JWTPayload => ({
  sub: customer.userId,
  iss: 'bazaar-identity',
  aud: 'bazaar',
  iat: now(),
  exp: now() + 600,
  jti: randomUUID(),
  ...overrides,
});
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The answer to the same protected read through the gateway and from orders itself. */
async function answers(token: string): Promise<[number, number]> {
  const headers = { authorization: `Bearer ${token}` };
  const [viaGateway, direct] = await Promise.all([
    fetch(`${shop.shop.url}/api/orders`, { headers }),
    fetch(`${shop.shop.urlOf('orders')}/api/orders`, { headers }),
  ]);
  return [viaGateway.status, direct.status];
}

test('a token signed with the trusted key and honest claims is accepted (the forgeries below differ from it in one thing)', async () => {
  expect(await answers(await sign(claims()))).toEqual([200, 200]);
  expect(await answers(customer.token)).toEqual([200, 200]);
});

test.each([
  [
    'alg none',
    async () =>
      `${base64url({ alg: 'none', typ: accessTokenType })}.${base64url(claims({ role: 'admin' }))}.`,
  ],
  [
    'HS256 signed with the public key as the secret',
    async () => {
      const header = base64url({ alg: 'HS256', kid: publicJwk.kid, typ: accessTokenType });
      const payload = base64url(claims({ role: 'admin' }));
      const signature = createHmac('sha256', JSON.stringify(publicJwk))
        .update(`${header}.${payload}`)
        .digest('base64url');
      return `${header}.${payload}.${signature}`;
    },
  ],
  ['expired', async () => sign(claims({ iat: now() - 3600, exp: now() - 600 }))],
  ['not valid before an hour from now', async () => sign(claims({ nbf: now() + 3600 }))],
  ['from another issuer', async () => sign(claims({ iss: 'https://evil.example' }))],
  ['for another audience (a service token)', async () => sign(claims({ aud: 'bazaar-internal' }))],
  ['of another type', async () => sign(claims(), { typ: 'JWT' })],
  [
    'with a tampered payload',
    async () => {
      const [header, , signature] = (await sign(claims())).split('.');
      return `${header}.${base64url(claims({ role: 'admin' }))}.${signature}`;
    },
  ],
  ['a refresh token used as an access token', async () => customer.refreshToken],
  ['a kid walking the file system', async () => sign(claims(), { kid: '../../../../etc/passwd' })],
  [
    'a kid carrying SQL',
    async () => sign(claims(), { kid: "' OR '1'='1'; DROP TABLE signing_keys; --" }),
  ],
  [
    'a jku pointing elsewhere',
    async () => sign(claims({ role: 'admin' }), { jku: lureUrl, kid: 'lured' }),
  ],
  ['an x5u pointing elsewhere', async () => sign(claims(), { x5u: lureUrl, kid: 'lured-x5u' })],
])('a token %s is a 401 at the gateway and at the service', async (_name, forge) => {
  expect(await answers(await forge())).toEqual([401, 401]);
});

test('no forged header made anything fetch from where it pointed, and the keys are intact', async () => {
  expect(lured).toEqual([]);
  const keys = await shop.shop.db('identity').query('SELECT count(*)::int AS n FROM signing_keys');
  expect(keys.rows[0].n).toBeGreaterThanOrEqual(2);
});

test('an access token stolen before a logout is refused after it, at the gateway and at every service, for the rest of its life', async () => {
  const victim = await shop.client.newCustomer();
  const stolen = { authorization: `Bearer ${victim.token}` };
  const cart = () => fetch(`${shop.shop.url}/api/cart`, { headers: stolen });
  const cartDirectly = () => fetch(`${shop.shop.urlOf('cart')}/api/cart`, { headers: stolen });
  const me = () => fetch(`${shop.shop.url}/api/me`, { headers: stolen });
  expect((await cart()).status).toBe(200);

  const loggedOut = await shop.client.call('POST', '/api/auth/logout', {
    body: { refreshToken: victim.refreshToken },
  });
  const refusedAt = Date.now();
  expect(loggedOut.status).toBe(204);
  // The gateway and the services read the list of signed-out sign-ins at most a second old.
  const refused = await waitFor(
    async () => [(await cart()).status, (await cartDirectly()).status, (await me()).status],
    (statuses) => statuses.every((status) => status === 401),
    { timeoutMs: 3000 },
  );
  const waitedMs = Date.now() - refusedAt;

  expect(refused).toEqual([401, 401, 401]);
  expect(waitedMs).toBeLessThan(3000);
  await new Promise((resolve) => setTimeout(resolve, 1200));
  expect([(await cart()).status, (await cartDirectly()).status]).toEqual([401, 401]);
});
