import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Pool, Queryable } from '@bazaar/db/pool';
import type { IdentityConfig } from '../config.js';
import { insertFamily, insertRefreshToken } from '../store/refresh-token-store.js';
import type { PasswordHasher } from './password-hasher.js';
import type { TokenSigner } from './signing-keys.js';
import type { User } from './user.js';

export type IdentityDeps = {
  db: Pool;
  hasher: PasswordHasher;
  signer: TokenSigner;
  commonPasswords: ReadonlySet<string>;
  config: Pick<
    IdentityConfig,
    | 'TOKEN_AUDIENCE'
    | 'ACCESS_TOKEN_TTL_SECONDS'
    | 'REFRESH_TOKEN_TTL_DAYS'
    | 'LOGIN_FAILURES_BEFORE_DELAY'
    | 'LOGIN_MAX_FAILURES_PER_IP'
    | 'LOGIN_THROTTLE_SECONDS'
  >;
};

/** What a client keeps after signing in: a short-lived access token and an opaque refresh token. */
export type Session = {
  user: User;
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  /** ISO 8601 */
  refreshTokenExpiresAt: string;
};

/** A new refresh-token family (one per sign-in) with its first token. */
export async function startSession(
  deps: IdentityDeps,
  trx: Queryable,
  user: User,
): Promise<Session> {
  const familyId = randomUUID();
  await insertFamily(trx, { id: familyId, userId: user.id });
  return continueSession(deps, trx, user, familyId);
}

/** The next token of an existing family, with a fresh access token. */
export async function continueSession(
  deps: IdentityDeps,
  trx: Queryable,
  user: User,
  familyId: string,
): Promise<Session> {
  const refreshToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + deps.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000);
  await insertRefreshToken(trx, { hash: hashRefreshToken(refreshToken), familyId, expiresAt });
  const accessToken = await deps.signer.sign(
    {
      subject: user.id,
      role: user.role,
      email: user.email,
      sessionId: familyId,
      audience: deps.config.TOKEN_AUDIENCE,
      ttlSeconds: deps.config.ACCESS_TOKEN_TTL_SECONDS,
    },
    trx,
  );
  return {
    user,
    accessToken,
    expiresIn: deps.config.ACCESS_TOKEN_TTL_SECONDS,
    refreshToken,
    refreshTokenExpiresAt: expiresAt.toISOString(),
  };
}

/** Refresh tokens are kept only as this hash: a copy of the table signs nobody in. */
export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
