import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPool, withTransaction } from '@bazaar/db/pool';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { readConfig } from '../src/config.js';
import { createTokenSigner, rotateSigningKey } from '../src/domain/signing-keys.js';
import {
  type RunningIdentity,
  startIdentity,
  testAdmin,
  testServiceClient,
} from './identity-fixture.js';

let identity: RunningIdentity;
let db: pg.Client;

beforeAll(async () => {
  // Behind the gateway, as in the shop: the address a sign-in comes from is X-Forwarded-For's.
  identity = await startIdentity(inject('postgresUrl'), { TRUST_PROXY_HOPS: '1' });
  db = new pg.Client({ connectionString: identity.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db.end();
  await identity.close();
});

const uniqueEmail = () => `shopper-${randomUUID()}@example.com`;

async function post(url: string, payload: object, headers: Record<string, string> = {}) {
  return identity.app.inject({ method: 'POST', url, payload, headers });
}

/** What the outbox says was mailed to `email` last: a confirmation link's token, or a warning. */
async function lastMailEvent(email: string) {
  const { rows } = await db.query(
    `SELECT type, data FROM outbox WHERE data->>'email' = $1 AND type <> 'identity.user.registered.v1'
      ORDER BY created_at DESC, id DESC LIMIT 1`,
    [email],
  );
  return rows[0] as { type: string; data: { token?: string; userId?: string } } | undefined;
}

async function registered(email = uniqueEmail(), password = 'a long unusual passphrase') {
  const response = await post('/api/auth/register', { email, password, name: 'Ada Lovelace' });
  expect(response.statusCode).toBe(202);
  const confirmed = await post('/api/auth/verify-email', {
    token: (await lastMailEvent(email))?.data.token ?? '',
  });
  expect(confirmed.statusCode).toBe(200);
  return { email, password, session: confirmed.json() };
}

function me(accessToken: string) {
  return identity.app.inject({
    method: 'GET',
    url: '/api/me',
    headers: { authorization: `Bearer ${accessToken}` },
  });
}

describe('registering', () => {
  test('asks the address to confirm itself; the link opens the account, signs it in and announces it', async () => {
    const email = uniqueEmail();
    const asked = await post('/api/auth/register', {
      email: `  ${email.toUpperCase()} `,
      password: 'a long unusual passphrase',
      name: 'Ada Lovelace',
      role: 'admin',
    });
    const mailed = await lastMailEvent(email);

    const confirmed = await post('/api/auth/verify-email', { token: mailed?.data.token ?? '' });

    expect(asked.statusCode).toBe(202);
    expect(asked.json()).toEqual({ status: 'confirmation_sent', email });
    expect(mailed).toMatchObject({
      type: 'identity.email.verification_requested.v1',
      data: { email, token: expect.stringMatching(/^[\w-]{43}$/) },
    });
    expect(JSON.stringify(mailed)).not.toContain('Ada');
    expect(confirmed.statusCode).toBe(200);
    const session = confirmed.json();
    expect(session.user).toMatchObject({ email, name: 'Ada Lovelace', role: 'customer' });
    expect(session).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    expect((await me(session.accessToken)).json().email).toBe(email);
    const events = await db.query('SELECT type, subject, data FROM outbox WHERE subject = $1', [
      session.user.id,
    ]);
    expect(events.rows).toContainEqual({
      type: 'identity.user.registered.v1',
      subject: session.user.id,
      data: { userId: session.user.id, email, name: 'Ada Lovelace' },
    });
  });

  test('a confirmation link works once; a made-up one never', async () => {
    const email = uniqueEmail();
    await post('/api/auth/register', { email, password: 'a long unusual passphrase', name: 'A' });
    const token = (await lastMailEvent(email))?.data.token ?? '';
    expect((await post('/api/auth/verify-email', { token })).statusCode).toBe(200);

    const again = await post('/api/auth/verify-email', { token });
    const madeUp = await post('/api/auth/verify-email', { token: 'x'.repeat(43) });

    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({
      code: 'invalid_verification_token',
      errors: [{ field: 'token' }],
    });
    expect(madeUp.statusCode).toBe(400);
  });

  test('before the address is confirmed the right password gets 403 saying so; signing up again sends a new link and the old one dies', async () => {
    const email = uniqueEmail();
    const password = 'a long unusual passphrase';
    await post('/api/auth/register', { email, password, name: 'A' });
    const first = (await lastMailEvent(email))?.data.token ?? '';

    const early = await post('/api/auth/login', { email, password });
    await post('/api/auth/register', { email, password, name: 'A' });
    const second = (await lastMailEvent(email))?.data.token ?? '';

    expect(early.statusCode).toBe(403);
    expect(early.json().code).toBe('email_not_verified');
    expect(second).not.toBe(first);
    expect((await post('/api/auth/verify-email', { token: first })).statusCode).toBe(400);
    expect((await post('/api/auth/verify-email', { token: second })).statusCode).toBe(200);
    expect((await post('/api/auth/login', { email, password })).statusCode).toBe(200);
  });

  test('someone who signs up first with your address gains nothing: your own sign-up takes it over', async () => {
    const email = uniqueEmail();
    await post('/api/auth/register', { email, password: "the squatter's passphrase", name: 'Eve' });
    await post('/api/auth/register', { email, password: 'the owners passphrase', name: 'Ada' });
    const token = (await lastMailEvent(email))?.data.token ?? '';

    const confirmed = await post('/api/auth/verify-email', { token });

    expect(confirmed.json().user.name).toBe('Ada');
    const squatter = await post('/api/auth/login', {
      email,
      password: "the squatter's passphrase",
    });
    expect(squatter.statusCode).toBe(401);
  });

  test('stores the password only as an argon2id hash and refresh tokens only hashed', async () => {
    const { email, password, session } = await registered();
    const user = await db.query('SELECT password_hash FROM users WHERE email = $1', [email]);
    expect(user.rows[0].password_hash).toMatch(/^\$argon2id\$v=19\$/);
    expect(user.rows[0].password_hash).not.toContain(password);
    const stored = await db.query(
      'SELECT count(*)::int AS n FROM refresh_tokens WHERE token_hash = $1',
      [Buffer.from(session.refreshToken)],
    );
    expect(stored.rows[0].n).toBe(0);
  });

  test('an address that has an account gets the same answer, and its owner a note, not a link', async () => {
    const { email, password } = await registered();
    const fresh = await post('/api/auth/register', {
      email: uniqueEmail(),
      password: 'another long passphrase',
      name: 'Someone',
    });

    const taken = await post('/api/auth/register', {
      email: email.toUpperCase(),
      password: 'another long passphrase',
      name: 'Someone',
    });

    expect(taken.statusCode).toBe(fresh.statusCode);
    expect(Object.keys(taken.json())).toEqual(Object.keys(fresh.json()));
    expect(await lastMailEvent(email)).toEqual({
      type: 'identity.sign_up.repeated.v1',
      data: { email },
    });
    expect((await post('/api/auth/login', { email, password })).statusCode).toBe(200);
  });

  test.each([
    ['too short', 'short1!', 'at least 10 characters'],
    ['a common password', 'Password123', 'most common passwords'],
    ['the email itself', 'me@example.org', 'email'],
  ])('a password that is %s is a 422 naming the field', async (_case, password, reason) => {
    const response = await post('/api/auth/register', {
      email: 'me@example.org',
      password,
      name: 'Me',
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([
      { field: 'password', in: 'body', message: expect.stringContaining(reason) },
    ]);
  });

  test('a malformed email or a missing name is a 400 naming each field', async () => {
    const response = await post('/api/auth/register', {
      email: 'not-an-email',
      password: 'x'.repeat(12),
    });
    expect(response.statusCode).toBe(400);
    const fields = response.json().errors.map((error: { field: string }) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'name']));
  });
});

describe('signing in', () => {
  test('an unknown email and a wrong password get the same answer', async () => {
    const { email } = await registered();
    const unknown = await post('/api/auth/login', {
      email: uniqueEmail(),
      password: 'whatever passphrase',
    });
    const wrong = await post('/api/auth/login', { email, password: 'whatever passphrase' });
    const answer = (response: typeof wrong) => {
      const { status, title, detail, type } = response.json();
      return { statusCode: response.statusCode, status, title, detail, type };
    };
    expect(answer(unknown)).toEqual(answer(wrong));
    expect(wrong.statusCode).toBe(401);
  });

  test('the right password signs in, whatever the email case', async () => {
    const { email, password } = await registered();
    const response = await post('/api/auth/login', { email: email.toUpperCase(), password });
    expect(response.statusCode).toBe(200);
    expect(response.json().user.email).toBe(email);
  });

  test("a stranger's wrong passwords never lock the owner out: the owner signs in from elsewhere at once", async () => {
    const { email, password } = await registered();
    const stranger = { 'x-forwarded-for': '203.0.113.20' };
    const answers: number[] = [];
    for (let attempt = 0; attempt < 12; attempt += 1) {
      answers.push(
        (await post('/api/auth/login', { email, password: 'wrong passphrase!' }, stranger))
          .statusCode,
      );
    }

    const owner = await post(
      '/api/auth/login',
      { email, password },
      {
        'x-forwarded-for': '198.51.100.20',
      },
    );

    expect(answers.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(answers.slice(5)).toEqual(Array(7).fill(429));
    expect(owner.statusCode).toBe(200);
  });

  test('one address failing at one account waits longer after each failure: 1 s, then 2 s', async () => {
    const { email, password } = await registered();
    const from = { 'x-forwarded-for': '203.0.113.21' };
    const wrong = () => post('/api/auth/login', { email, password: 'wrong passphrase!' }, from);
    for (let attempt = 0; attempt < identity.config.LOGIN_FAILURES_BEFORE_DELAY; attempt += 1) {
      expect((await wrong()).statusCode).toBe(401);
    }

    const first = await wrong();
    await sleep(1100);
    const afterFirstDelay = await wrong();
    const second = await post('/api/auth/login', { email, password }, from);

    expect(first.statusCode).toBe(429);
    expect(first.headers['retry-after']).toBe('1');
    expect(first.json()).toMatchObject({ code: 'too_many_attempts' });
    expect(afterFirstDelay.statusCode).toBe(401);
    expect(second.statusCode).toBe(429);
    expect(second.headers['retry-after']).toBe('2');
  });

  test('repeated failures from one address throttle that address across accounts', async () => {
    const address = { 'x-forwarded-for': '203.0.113.7' };
    const throttled = await startIdentity(inject('postgresUrl'), {
      TRUST_PROXY_HOPS: '1',
      LOGIN_MAX_FAILURES_PER_IP: '3',
    });
    try {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const response = await throttled.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: uniqueEmail(), password: 'wrong passphrase!' },
          headers: address,
        });
        expect(response.statusCode).toBe(401);
      }
      const fromThere = await throttled.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: testAdmin,
        headers: address,
      });
      const fromElsewhere = await throttled.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: testAdmin,
        headers: { 'x-forwarded-for': '198.51.100.1' },
      });
      expect(fromThere.statusCode).toBe(429);
      expect(fromElsewhere.statusCode).toBe(200);
    } finally {
      await throttled.close();
    }
  });
});

describe('refresh tokens', () => {
  test('each refresh returns a new pair, and the old refresh token no longer works', async () => {
    const { session } = await registered();
    const first = await post('/api/auth/refresh', { refreshToken: session.refreshToken });
    expect(first.statusCode).toBe(200);
    const renewed = first.json();
    expect(renewed.refreshToken).not.toBe(session.refreshToken);
    expect((await me(renewed.accessToken)).statusCode).toBe(200);
  });

  test('presenting a spent token revokes the family: the newer token stops working too', async () => {
    const { session } = await registered();
    const renewed = (
      await post('/api/auth/refresh', { refreshToken: session.refreshToken })
    ).json();

    const replay = await post('/api/auth/refresh', { refreshToken: session.refreshToken });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().detail).toContain('already used');

    const afterTheft = await post('/api/auth/refresh', { refreshToken: renewed.refreshToken });
    expect(afterTheft.statusCode).toBe(401);
  });

  test('two sign-ins are separate families: revoking one leaves the other', async () => {
    const { email, password, session } = await registered();
    const other = (await post('/api/auth/login', { email, password })).json();
    await post('/api/auth/refresh', { refreshToken: session.refreshToken });
    await post('/api/auth/refresh', { refreshToken: session.refreshToken });
    expect((await post('/api/auth/refresh', { refreshToken: other.refreshToken })).statusCode).toBe(
      200,
    );
  });

  test('logout revokes the family and answers 204, also for an unknown token', async () => {
    const { session } = await registered();
    const logout = await post('/api/auth/logout', { refreshToken: session.refreshToken });
    expect(logout.statusCode).toBe(204);
    expect(
      (await post('/api/auth/refresh', { refreshToken: session.refreshToken })).statusCode,
    ).toBe(401);
    expect((await post('/api/auth/logout', { refreshToken: 'nonsense' })).statusCode).toBe(204);
  });

  test("after logout every access token of that sign-in is refused at once, for the rest of its life; another sign-in's is not", async () => {
    const { email, password, session } = await registered();
    const refreshed = (
      await post('/api/auth/refresh', { refreshToken: session.refreshToken })
    ).json();
    const other = (await post('/api/auth/login', { email, password })).json();
    expect((await me(session.accessToken)).statusCode).toBe(200);

    await post('/api/auth/logout', { refreshToken: refreshed.refreshToken });

    for (const token of [session.accessToken, refreshed.accessToken]) {
      const refused = await me(token);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().detail).toContain('signed out');
    }
    expect((await me(other.accessToken)).statusCode).toBe(200);
  });

  test('a refresh token used twice (stolen) also kills the access tokens of its sign-in', async () => {
    const { session } = await registered();
    await post('/api/auth/refresh', { refreshToken: session.refreshToken });
    await post('/api/auth/refresh', { refreshToken: session.refreshToken });
    expect((await me(session.accessToken)).statusCode).toBe(401);
  });

  test('other services learn the revoked sign-ins from /internal/revoked-sessions, since a moment', async () => {
    const before = (
      await identity.app.inject({ method: 'GET', url: '/internal/revoked-sessions' })
    ).json();
    const { session } = await registered();
    await post('/api/auth/logout', { refreshToken: session.refreshToken });
    const sessionId = JSON.parse(
      Buffer.from(session.accessToken.split('.')[1], 'base64url').toString(),
    ).sid;

    const since = await identity.app.inject({
      method: 'GET',
      url: `/internal/revoked-sessions?since=${encodeURIComponent(before.asOf)}`,
    });

    expect(since.statusCode).toBe(200);
    expect(since.json().sessions).toContainEqual({ sessionId, expiresAt: expect.any(String) });
  });
});

describe('the account', () => {
  test('a customer can change their name but not their role', async () => {
    const { session } = await registered();
    const response = await identity.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: { authorization: `Bearer ${session.accessToken}` },
      payload: { name: 'Ada King', role: 'admin' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ name: 'Ada King', role: 'customer' });
  });

  test('/api/me without a token is a 401', async () => {
    expect((await identity.app.inject({ method: 'GET', url: '/api/me' })).statusCode).toBe(401);
  });

  test('the admin account made at start lists users; a customer gets 403', async () => {
    const { session } = await registered();
    const admin = (await post('/api/auth/login', testAdmin)).json();
    expect(admin.user.role).toBe('admin');
    const list = (bearer: string) =>
      identity.app.inject({
        method: 'GET',
        url: '/api/admin/users?limit=2',
        headers: { authorization: `Bearer ${bearer}` },
      });
    const asAdmin = await list(admin.accessToken);
    expect(asAdmin.statusCode).toBe(200);
    expect(asAdmin.json().items).toHaveLength(2);
    expect(asAdmin.json().nextCursor).toEqual(expect.any(String));
    expect((await list(session.accessToken)).statusCode).toBe(403);
  });
});

describe('signing keys', () => {
  test('after a rotation the JWKS holds both keys, and tokens of either key are accepted', async () => {
    const { session } = await registered();
    const jwks = async () =>
      (await identity.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json().keys;
    const before = await jwks();
    const pool = createPool(identity.databaseUrl, {
      applicationName: 'test',
      onIdleClientError: () => {},
    });

    const newKid = await rotateSigningKey(pool, identity.config.SIGNING_KEY_SECRET);
    const signer = createTokenSigner({
      secret: identity.config.SIGNING_KEY_SECRET,
      issuer: identity.config.TOKEN_ISSUER,
    });
    const newToken = await signer.sign(
      {
        subject: session.user.id,
        role: 'customer',
        audience: identity.config.TOKEN_AUDIENCE,
        ttlSeconds: 60,
      },
      pool,
    );
    await pool.end();

    const after = await jwks();
    expect(after.map((key: { kid: string }) => key.kid)).toEqual([
      newKid,
      ...before.map((key: { kid: string }) => key.kid),
    ]);
    expect(after.every((key: Record<string, unknown>) => key.d === undefined)).toBe(true);
    expect(JSON.parse(Buffer.from(newToken.split('.')[0] ?? '', 'base64url').toString()).kid).toBe(
      newKid,
    );
    expect((await me(newToken)).statusCode).toBe(200);
    expect((await me(session.accessToken)).statusCode).toBe(200);
  });

  test('sign-ins holding every pooled connection still sign when the key must be read again', async () => {
    const { session } = await registered();
    // Two connections, four sign-ins at once, no key cache: each signs inside its transaction.
    const pool = createPool(identity.databaseUrl, {
      applicationName: 'test',
      max: 2,
      onIdleClientError: () => {},
    });
    const signer = createTokenSigner({
      secret: identity.config.SIGNING_KEY_SECRET,
      issuer: identity.config.TOKEN_ISSUER,
      cacheMs: 0,
    });
    const claims = {
      subject: session.user.id,
      role: 'customer',
      audience: identity.config.TOKEN_AUDIENCE,
      ttlSeconds: 60,
    };
    const tokens = await Promise.all(
      Array.from({ length: 4 }, () =>
        withTransaction(pool, async (trx) => {
          await trx.query('SELECT 1');
          return signer.sign(claims, trx);
        }),
      ),
    );
    await pool.end();
    for (const token of tokens) expect((await me(token)).statusCode).toBe(200);
  });
});

describe('configuration', () => {
  test('production refuses every dev-only default', () => {
    expect(() =>
      readConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/identity' }),
    ).toThrow(
      /SIGNING_KEY_SECRET: the dev-only default is refused when NODE_ENV=production.*ADMIN_EMAIL.*ADMIN_PASSWORD.*SERVICE_CLIENTS/,
    );
  });
});

describe('service tokens', () => {
  test('a service with the right secret gets a short-lived internal token', async () => {
    const response = await post('/internal/service-tokens', {
      clientId: testServiceClient.id,
      clientSecret: testServiceClient.secret,
    });
    expect(response.statusCode).toBe(200);
    const { accessToken, expiresIn } = response.json();
    expect(expiresIn).toBe(300);
    const claims = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({
      sub: 'service:orders',
      role: 'service',
      aud: 'bazaar-internal',
    });
    expect((await me(accessToken)).statusCode).toBe(401);
  });

  test('a wrong secret or an unknown service is a 401', async () => {
    for (const [clientId, clientSecret] of [
      [testServiceClient.id, 'wrong-secret-0123456789'],
      ['cart', testServiceClient.secret],
    ]) {
      const response = await post('/internal/service-tokens', { clientId, clientSecret });
      expect(response.statusCode).toBe(401);
    }
  });
});
