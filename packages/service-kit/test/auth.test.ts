import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTVerifyGetKey,
  jwtVerify,
  SignJWT,
} from 'jose';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { createServiceApp, type ServiceApp } from '../src/app.js';
import { accessTokenType, createTokenVerifier, remoteKeys, requireRole } from '../src/auth.js';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

const issuer = 'bazaar-identity';
const audience = 'bazaar';
let signingKey: PrivateKey;
let publicJwk: JWK;
let keys: JWTVerifyGetKey;
let app: ServiceApp;

async function token(
  overrides: {
    iss?: string;
    aud?: string;
    exp?: string;
    role?: string;
    kid?: string;
    typ?: string;
    sid?: string;
  } = {},
  key: PrivateKey = signingKey,
) {
  return new SignJWT({
    role: overrides.role ?? 'customer',
    ...(overrides.sid ? { sid: overrides.sid } : {}),
  })
    .setProtectedHeader({
      alg: 'EdDSA',
      kid: overrides.kid ?? 'k1',
      typ: overrides.typ ?? accessTokenType,
    })
    .setSubject('user-1')
    .setIssuer(overrides.iss ?? issuer)
    .setAudience(overrides.aud ?? audience)
    .setIssuedAt()
    .setExpirationTime(overrides.exp ?? '15m')
    .setJti('token-1')
    .sign(key);
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** What a forger wants a token to say. */
const adminClaims = {
  sub: 'user-1',
  role: 'admin',
  iss: issuer,
  aud: audience,
  exp: 9e9,
  jti: 'x',
};

beforeAll(async () => {
  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  signingKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'EdDSA' };
  keys = createLocalJWKSet({ keys: [publicJwk] });
  const verify = createTokenVerifier({ keys, issuer, audience });
  app = await createServiceApp({ name: 'demo', logLevel: 'silent', bodyLimitBytes: 1024 });
  app.get('/mine', { onRequest: requireRole(verify, 'customer', 'admin') }, async (request) => ({
    subject: request.principal?.subject,
  }));
  app.get('/admin', { onRequest: requireRole(verify, 'admin') }, async () => ({ ok: true }));
  await app.ready();
});

async function call(url: string, bearer?: string) {
  return app.inject({
    method: 'GET',
    url,
    headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` },
  });
}

describe('access tokens', () => {
  test('a valid token reaches the route with its subject', async () => {
    const response = await call('/mine', await token());
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ subject: 'user-1' });
  });

  test('no token is a 401 problem that asks for a bearer token', async () => {
    const response = await call('/mine');
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.json()).toMatchObject({ code: 'unauthorized' });
  });

  test('an expired token is refused and says so', async () => {
    const response = await call('/mine', await token({ exp: '-1 min' }));
    expect(response.statusCode).toBe(401);
    expect(response.json().detail).toContain('expired');
  });

  test('a token whose payload was altered is refused', async () => {
    const [header, , signature] = (await token()).split('.');
    const forged = base64url(adminClaims);
    expect((await call('/mine', `${header}.${forged}.${signature}`)).statusCode).toBe(401);
  });

  test('an unsigned alg:none token is refused', async () => {
    const unsigned = `${base64url({ alg: 'none', kid: 'k1' })}.${base64url(adminClaims)}.`;
    expect((await call('/admin', unsigned)).statusCode).toBe(401);
  });

  test('an HMAC token keyed with the public key is refused', async () => {
    const header = base64url({ alg: 'HS256', kid: 'k1' });
    const payload = base64url(adminClaims);
    const signature = createHmac('sha256', JSON.stringify(publicJwk))
      .update(`${header}.${payload}`)
      .digest('base64url');
    expect((await call('/admin', `${header}.${payload}.${signature}`)).statusCode).toBe(401);
  });

  test('a token from another issuer or for another audience is refused', async () => {
    expect((await call('/mine', await token({ iss: 'someone-else' }))).statusCode).toBe(401);
    expect((await call('/mine', await token({ aud: 'bazaar-internal' }))).statusCode).toBe(401);
  });

  test('a JWT of another type, though signed with a trusted key, is refused', async () => {
    expect((await call('/mine', await token({ typ: 'JWT' }))).statusCode).toBe(401);
  });

  test('a token signed by a key not in the key set is refused', async () => {
    const stranger = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    expect((await call('/mine', await token({ kid: 'k1' }, stranger.privateKey))).statusCode).toBe(
      401,
    );
  });

  test('a role the platform does not have is refused', async () => {
    expect((await call('/mine', await token({ role: 'superuser' }))).statusCode).toBe(401);
  });

  test('a valid token with the wrong role is a 403', async () => {
    const response = await call('/admin', await token({ role: 'customer' }));
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'forbidden' });
    expect((await call('/admin', await token({ role: 'admin' }))).statusCode).toBe(200);
  });
});

describe('signed-out sign-ins', () => {
  test('a token of a revoked sign-in is refused once the list is read again; others pass; a list that cannot be read keeps what it knew', async () => {
    const listed: Array<{ sessionId: string; expiresAt: string }> = [];
    let reachable = true;
    const asked: Array<string | undefined> = [];
    const verify = createTokenVerifier({
      keys,
      issuer,
      audience,
      revocations: {
        source: async (since) => {
          asked.push(since);
          if (!reachable) throw new Error('identity is away');
          return { sessions: [...listed], asOf: `as of ${asked.length}` };
        },
        syncIntervalMs: 50,
      },
    });
    const mine = await token({ sid: 'session-1' });
    const other = await token({ sid: 'session-2' });
    expect((await verify(mine)).sessionId).toBe('session-1');

    listed.push({ sessionId: 'session-1', expiresAt: new Date(Date.now() + 60_000).toISOString() });
    const stillCached = await verify(mine).then(() => 'accepted');
    await new Promise((resolve) => setTimeout(resolve, 60));
    const refused = await verify(mine).catch((error: Error) => error.message);
    reachable = false;
    await new Promise((resolve) => setTimeout(resolve, 60));
    const whileAway = await verify(mine).catch((error: Error) => error.message);

    expect(stillCached).toBe('accepted');
    expect(refused).toContain('signed out');
    expect(whileAway).toContain('signed out');
    expect((await verify(other)).sessionId).toBe('session-2');
    expect(asked.slice(0, 3)).toEqual([undefined, 'as of 1', 'as of 2']);
  });
});

describe("identity's keys, read over HTTP", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test('are fetched once and kept; a new key is fetched when a token names it, at most every 10 s; an expired set that cannot be read again refuses tokens', async () => {
    const published: JWK[] = [publicJwk];
    let up = true;
    let fetches = 0;
    const jwks = createServer((_request, response) => {
      fetches += 1;
      if (!up) {
        response.writeHead(503).end();
        return;
      }
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: published }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const remote = remoteKeys(`http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks`);
      const verdict = (jwt: string) =>
        jwtVerify(jwt, remote).then(
          () => 'accepted',
          (error: Error) => error.constructor.name,
        );
      expect(await verdict(await token())).toBe('accepted');
      expect(await verdict(await token())).toBe('accepted');
      expect(fetches).toBe(1);

      const rotated = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
      published.push({ ...(await exportJWK(rotated.publicKey)), kid: 'k2', alg: 'EdDSA' });
      const signedWithNewKey = await token({ kid: 'k2' }, rotated.privateKey);
      expect(await verdict(signedWithNewKey)).toBe('JWKSNoMatchingKey');
      expect(fetches).toBe(1);
      vi.setSystemTime(Date.now() + 11_000);
      expect(await verdict(signedWithNewKey)).toBe('accepted');
      expect(fetches).toBe(2);

      up = false;
      vi.setSystemTime(Date.now() + 11 * 60_000);
      expect(await verdict(await token())).not.toBe('accepted');
      expect(fetches).toBe(3);
    } finally {
      await new Promise((resolve) => jwks.close(resolve));
    }
  });
});
