import { withTransaction } from '@bazaar/db/pool';
import { DomainError } from '@bazaar/service-kit/errors';
import { clearFailures, recordFailure, secondsLocked } from '../store/login-failure-store.js';
import { findCredentials } from '../store/user-store.js';
import { type IdentityDeps, type Session, startSession } from './sessions.js';
import { normalizeEmail } from './user.js';

/**
 * Signs in with email and password. An unknown email and a wrong password get the same answer in
 * the same time; repeated failures throttle the account and the client address (429).
 */
export async function login(
  deps: IdentityDeps,
  input: { email: string; password: string; clientAddress: string },
): Promise<Session> {
  const email = normalizeEmail(input.email);
  const account = `account:${email}`;
  const address = `address:${input.clientAddress}`;
  const wait = await secondsLocked(deps.db, [account, address]);
  if (wait > 0) {
    throw new DomainError('too_many_attempts', `Too many failed sign-ins; try again in ${wait} s`, {
      retryAfterSeconds: wait,
    });
  }
  const found = await findCredentials(deps.db, email);
  const valid = await deps.hasher.verify(found?.passwordHash, input.password);
  if (!found || !valid) {
    const windowSeconds = deps.config.LOGIN_THROTTLE_SECONDS;
    await recordFailure(deps.db, account, {
      maxFailures: deps.config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      windowSeconds,
    });
    await recordFailure(deps.db, address, {
      maxFailures: deps.config.LOGIN_MAX_FAILURES_PER_IP,
      windowSeconds,
    });
    throw new DomainError('invalid_credentials', 'Email or password is incorrect');
  }
  await clearFailures(deps.db, account);
  return withTransaction(deps.db, (trx) => startSession(deps, trx, found.user));
}
