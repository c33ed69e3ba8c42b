import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { type Pool, type Queryable, withTransaction } from '@bazaar/db/pool';
import { accessTokenType } from '@bazaar/service-kit/auth';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTVerifyGetKey,
  SignJWT,
} from 'jose';
import {
  insertKey,
  lockSigningKeys,
  retireActiveKeys,
  selectActiveKey,
  selectPublishedKeys,
} from '../store/signing-key-store.js';

const algorithm = 'EdDSA';

export type TokenClaims = {
  subject: string;
  role: string;
  /** A person's address, so services can write to them without asking identity; none for services. */
  email?: string;
  /** The sign-in (refresh-token family) a person's token belongs to: signing out refuses it. */
  sessionId?: string;
  audience: string;
  ttlSeconds: number;
};

/**
 * Signs tokens with the active key; keys are read from the database, so a rotation is seen within
 * `cacheMs`. The key is read through `db`, the caller's: a sign-in signs inside its transaction,
 * and a second connection asked of the pool there would wait for ever once every connection is
 * held by a sign-in doing the same.
 */
export type TokenSigner = { sign: (claims: TokenClaims, db: Queryable) => Promise<string> };

export function createTokenSigner(options: {
  secret: string;
  issuer: string;
  cacheMs?: number;
}): TokenSigner {
  let cached:
    | { kid: string; key: Awaited<ReturnType<typeof importJWK>>; until: number }
    | undefined;
  const activeKey = async (db: Queryable) => {
    if (cached && cached.until > Date.now()) return cached;
    const row = await selectActiveKey(db);
    if (!row) throw new Error('no active signing key');
    const jwk = JSON.parse(unseal(row.private_jwk_sealed, options.secret)) as JWK;
    cached = {
      kid: row.kid,
      key: await importJWK(jwk, algorithm),
      until: Date.now() + (options.cacheMs ?? 30_000),
    };
    return cached;
  };
  return {
    sign: async (claims, db) => {
      const { kid, key } = await activeKey(db);
      return new SignJWT({
        role: claims.role,
        ...(claims.email ? { email: claims.email } : {}),
        ...(claims.sessionId ? { sid: claims.sessionId } : {}),
      })
        .setProtectedHeader({ alg: algorithm, kid, typ: accessTokenType })
        .setSubject(claims.subject)
        .setIssuer(options.issuer)
        .setAudience(claims.audience)
        .setIssuedAt()
        .setExpirationTime(`${claims.ttlSeconds}s`)
        .setJti(randomUUID())
        .sign(key);
    },
  };
}

/**
 * Public keys from the database, for identity to verify the tokens it signed without asking itself
 * over HTTP. Read again after 30 s, or at once for a `kid` not seen yet (a rotation).
 */
export function localKeys(db: Pool, graceSeconds: number): JWTVerifyGetKey {
  let cached: { keys: JWK[]; until: number } | undefined;
  const read = async () => {
    cached = { keys: await selectPublishedKeys(db, graceSeconds), until: Date.now() + 30_000 };
    return cached.keys;
  };
  return async (header) => {
    const find = (keys: JWK[]) => keys.find((key) => key.kid === header.kid);
    const current = cached && cached.until > Date.now() ? cached.keys : undefined;
    // An unknown kid may be a key rotated in since the last read: read once more before refusing.
    const jwk = (current && find(current)) ?? find(await read());
    if (!jwk) throw new Error(`unknown signing key ${header.kid}`);
    return importJWK(jwk, algorithm);
  };
}

/** Creates a signing key when there is none, as at the very first start. */
export async function ensureSigningKey(db: Pool, secret: string): Promise<void> {
  await withTransaction(db, async (trx) => {
    await lockSigningKeys(trx);
    if (await selectActiveKey(trx)) return;
    await insertKey(trx, await newKey(secret));
  });
}

/** Retires the active key (still published until its tokens expire) and makes a new one active. */
export async function rotateSigningKey(db: Pool, secret: string): Promise<string> {
  return withTransaction(db, async (trx) => {
    await lockSigningKeys(trx);
    await retireActiveKeys(trx);
    const key = await newKey(secret);
    await insertKey(trx, key);
    return key.kid;
  });
}

async function newKey(secret: string) {
  const { publicKey, privateKey } = await generateKeyPair(algorithm, {
    crv: 'Ed25519',
    extractable: true,
  });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    algorithm,
    publicJwk: { ...publicJwk, kid, alg: algorithm, use: 'sig' },
    privateJwkSealed: seal(JSON.stringify(await exportJWK(privateKey)), secret),
  };
}

function sealingKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'bazaar-identity', 'signing-key-seal', 32));
}

function seal(plaintext: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(secret), iv);
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url')).join('.');
}

function unseal(sealed: string, secret: string): string {
  const [iv, tag, data] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
  if (!iv || !tag || !data) throw new Error('sealed signing key is malformed');
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(secret), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
}
