import { withTransaction } from '@bazaar/db/pool';
import { clearFailures, recordFailure, secondsLocked } from '../store/login-failure-store.js';
import { findCredentials } from '../store/user-store.js';
import { IdentityError } from './errors.js';
import { type IdentityDeps, type Session, startSession } from './sessions.js';
import { normalizeEmail } from './user.js';

/** Whose sign-in failed, for the metric an alert watches: an attack on an admin pages someone. */
export type SignInFailure = {
  account: 'admin' | 'customer' | 'unknown';
  outcome: 'wrong_password' | 'throttled';
};

/**
 * Signs in with email and password. An unknown email and a wrong password get the same answer in
 * the same time. Failures slow down the one address that makes them, never the account's owner
 * elsewhere: an account tried from one address waits longer after each failure past the first
 * few (so nobody can lock an owner out), and an address that fails across many accounts is
 * stopped for the window.
 */
export async function login(
  deps: IdentityDeps,
  input: { email: string; password: string; clientAddress: string },
  failed: (failure: SignInFailure) => void = () => {},
): Promise<Session> {
  const email = normalizeEmail(input.email);
  const pair = `account:${email}|address:${input.clientAddress}`;
  const address = `address:${input.clientAddress}`;
  const windowSeconds = deps.config.LOGIN_THROTTLE_SECONDS;
  const wait = await secondsLocked(deps.db, [pair, address]);
  const found = await findCredentials(deps.db, email);
  const account = found ? found.user.role : 'unknown';
  if (wait > 0) {
    failed({ account, outcome: 'throttled' });
    throw new IdentityError(
      'too_many_attempts',
      `Too many failed sign-ins; try again in ${wait} s`,
      {
        retryAfterSeconds: wait,
      },
    );
  }
  const valid = await deps.hasher.verify(found?.passwordHash, input.password);
  if (!found || !valid) {
    failed({ account, outcome: 'wrong_password' });
    await recordFailure(deps.db, pair, {
      threshold: deps.config.LOGIN_FAILURES_BEFORE_DELAY,
      firstDelaySeconds: 1,
      maxDelaySeconds: windowSeconds,
      windowSeconds,
    });
    await recordFailure(deps.db, address, {
      threshold: deps.config.LOGIN_MAX_FAILURES_PER_IP,
      firstDelaySeconds: windowSeconds,
      maxDelaySeconds: windowSeconds,
      windowSeconds,
    });
    throw new IdentityError('invalid_credentials', 'Email or password is incorrect');
  }
  await clearFailures(deps.db, pair);
  // Only the one who knows the password learns that the account waits for its address.
  if (!found.verified) {
    throw new IdentityError(
      'email_not_verified',
      'Confirm your email address with the link we sent first; signing up again sends a new one',
    );
  }
  return withTransaction(deps.db, (trx) => startSession(deps, trx, found.user));
}
