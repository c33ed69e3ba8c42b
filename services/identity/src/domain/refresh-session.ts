import { withTransaction } from '@bazaar/db/pool';
import {
  lockRefreshToken,
  markRefreshTokenUsed,
  revokeFamily,
} from '../store/refresh-token-store.js';
import { findUser } from '../store/user-store.js';
import { IdentityError } from './errors.js';
import { continueSession, hashRefreshToken, type IdentityDeps, type Session } from './sessions.js';

/**
 * Trades a refresh token for a new pair. Each token works once: presenting a spent one revokes
 * its whole family, so whoever holds the newer tokens (a thief or the owner) is signed out too.
 */
export async function refreshSession(deps: IdentityDeps, refreshToken: string): Promise<Session> {
  const hash = hashRefreshToken(refreshToken);
  // A refused token is returned rather than thrown, so the revocation of a family commits.
  const outcome = await withTransaction(deps.db, async (trx) => {
    const stored = await lockRefreshToken(trx, hash);
    if (!stored || stored.familyRevokedAt) return 'unknown or revoked';
    if (stored.usedAt) {
      await revokeFamily(trx, stored.familyId, 'reuse', deps.config.ACCESS_TOKEN_TTL_SECONDS);
      return 'already used; every session of that sign-in is now signed out';
    }
    if (stored.expiresAt.getTime() <= Date.now()) return 'expired';
    const user = await findUser(trx, stored.userId);
    if (!user) return 'unknown or revoked';
    await markRefreshTokenUsed(trx, hash);
    return continueSession(deps, trx, user, stored.familyId);
  });
  if (typeof outcome === 'string') {
    throw new IdentityError('invalid_refresh_token', `Refresh token is ${outcome}`);
  }
  return outcome;
}

/** Signs out every session of the sign-in the token belongs to; an unknown token changes nothing. */
export async function logout(deps: IdentityDeps, refreshToken: string): Promise<void> {
  await withTransaction(deps.db, async (trx) => {
    const stored = await lockRefreshToken(trx, hashRefreshToken(refreshToken));
    if (stored) {
      await revokeFamily(trx, stored.familyId, 'logout', deps.config.ACCESS_TOKEN_TTL_SECONDS);
    }
  });
}
