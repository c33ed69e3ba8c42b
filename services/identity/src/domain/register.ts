import { randomUUID } from 'node:crypto';
import { withTransaction } from '@bazaar/db/pool';
import { addToOutbox } from '@bazaar/events/outbox';
import { DomainError } from '@bazaar/service-kit/errors';
import { insertUser } from '../store/user-store.js';
import { assertAcceptablePassword } from './password-policy.js';
import { type IdentityDeps, type Session, startSession } from './sessions.js';
import { normalizeEmail } from './user.js';

/** Creates a customer account and signs it in; announces `identity.user.registered.v1`. */
export async function register(
  deps: IdentityDeps,
  input: { email: string; password: string; name: string },
): Promise<Session> {
  const email = normalizeEmail(input.email);
  assertAcceptablePassword(input.password, email, deps.commonPasswords);
  const passwordHash = await deps.hasher.hash(input.password);
  return withTransaction(deps.db, async (trx) => {
    const user = await insertUser(trx, {
      id: randomUUID(),
      email,
      name: input.name.trim(),
      role: 'customer',
      passwordHash,
    }).catch((error: unknown) => {
      if ((error as { code?: string }).code !== '23505') throw error;
      throw new DomainError('email_taken', 'An account with this email already exists', {
        errors: [{ field: 'email', in: 'body', message: 'is already registered' }],
      });
    });
    await addToOutbox(trx, {
      type: 'identity.user.registered.v1',
      subject: user.id,
      data: { userId: user.id, email: user.email, name: user.name },
    });
    return startSession(deps, trx, user);
  });
}
