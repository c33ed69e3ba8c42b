import { randomUUID } from 'node:crypto';
import type { Pool } from '@bazaar/db/pool';
import { findCredentials, insertVerifiedUser } from '../store/user-store.js';
import type { PasswordHasher } from './password-hasher.js';
import { assertAcceptablePassword } from './password-policy.js';
import { normalizeEmail } from './user.js';

/** Makes the admin account at first start; an existing account with that email is left as it is. */
export async function ensureAdmin(
  deps: { db: Pool; hasher: PasswordHasher; commonPasswords: ReadonlySet<string> },
  admin: { email: string; password: string },
): Promise<void> {
  const { db, hasher } = deps;
  const email = normalizeEmail(admin.email);
  if (await findCredentials(db, email)) return;
  assertAcceptablePassword(admin.password, email, deps.commonPasswords);
  await insertVerifiedUser(db, {
    id: randomUUID(),
    email,
    name: 'Administrator',
    role: 'admin',
    passwordHash: await hasher.hash(admin.password),
  }).catch((error: unknown) => {
    // Another replica made it at the same moment.
    if ((error as { code?: string }).code !== '23505') throw error;
  });
}
