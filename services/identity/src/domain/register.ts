import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { withTransaction } from '@bazaar/db/pool';
import { addToOutbox } from '@bazaar/events/outbox';
import { replaceVerification, spendVerification } from '../store/email-verification-store.js';
import { markEmailVerified, upsertUnverifiedUser } from '../store/user-store.js';
import { IdentityError } from './errors.js';
import { assertAcceptablePassword } from './password-policy.js';
import { type IdentityDeps, type Session, startSession } from './sessions.js';
import { normalizeEmail } from './user.js';

/** How long a confirmation link works. */
const verificationTtlSeconds = 24 * 3600;

/**
 * Asks for an account. The answer is the same whether or not the address has one, in the same
 * time (one password hash, one transaction, one event): a stranger learns nothing. A new address
 * (or one still unconfirmed) gets a link to confirm it; an address with an account gets a note
 * that someone tried. Nothing the registrant wrote is mailed before the address is confirmed.
 */
export async function register(
  deps: IdentityDeps,
  input: { email: string; password: string; name: string },
): Promise<void> {
  const email = normalizeEmail(input.email);
  assertAcceptablePassword(input.password, email, deps.commonPasswords);
  const passwordHash = await deps.hasher.hash(input.password);
  await withTransaction(deps.db, async (trx) => {
    const userId = await upsertUnverifiedUser(trx, {
      id: randomUUID(),
      email,
      name: input.name.trim(),
      passwordHash,
    });
    if (!userId) {
      await addToOutbox(trx, {
        type: 'identity.sign_up.repeated.v1',
        subject: email,
        data: { email },
      });
      return;
    }
    const token = randomBytes(32).toString('base64url');
    await replaceVerification(trx, {
      tokenHash: hashVerificationToken(token),
      userId,
      ttlSeconds: verificationTtlSeconds,
    });
    await addToOutbox(trx, {
      type: 'identity.email.verification_requested.v1',
      subject: userId,
      data: { userId, email, token },
    });
  });
}

/**
 * Confirms the address with the token that was mailed to it, opens the account (announcing
 * `identity.user.registered.v1`, the welcome) and signs it in. A token works once, for 24 hours.
 */
export async function verifyEmail(deps: IdentityDeps, token: string): Promise<Session> {
  return withTransaction(deps.db, async (trx) => {
    const userId = await spendVerification(trx, hashVerificationToken(token));
    const user = userId && (await markEmailVerified(trx, userId));
    if (!user) {
      throw new IdentityError(
        'invalid_verification_token',
        'This confirmation link is unknown, used or expired; sign up again for a new one',
        { errors: [{ field: 'token', in: 'body', message: 'is unknown, used or expired' }] },
      );
    }
    const { newlyVerified, ...opened } = user;
    if (newlyVerified) {
      await addToOutbox(trx, {
        type: 'identity.user.registered.v1',
        subject: opened.id,
        data: { userId: opened.id, email: opened.email, name: opened.name },
      });
    }
    return startSession(deps, trx, opened);
  });
}

function hashVerificationToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
