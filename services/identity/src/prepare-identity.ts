import type { Pool } from '@bazaar/db/pool';
import { createTokenVerifier } from '@bazaar/service-kit/auth';
import type { IdentityAppDeps } from './app.js';
import { commonPasswordsFile, type IdentityConfig } from './config.js';
import { ensureAdmin } from './domain/ensure-admin.js';
import { createPasswordHasher } from './domain/password-hasher.js';
import { loadCommonPasswords } from './domain/password-policy.js';
import { parseServiceClients } from './domain/service-clients.js';
import { createTokenSigner, ensureSigningKey, localKeys } from './domain/signing-keys.js';
import { selectRevokedSessions } from './store/refresh-token-store.js';

/** Everything identity needs before it serves: a signing key, the admin account, its collaborators. */
export async function prepareIdentity(config: IdentityConfig, db: Pool): Promise<IdentityAppDeps> {
  await ensureSigningKey(db, config.SIGNING_KEY_SECRET);
  const hasher = await createPasswordHasher({
    memoryKib: config.ARGON2_MEMORY_KIB,
    timeCost: config.ARGON2_TIME_COST,
  });
  const commonPasswords = await loadCommonPasswords(commonPasswordsFile);
  await ensureAdmin(
    { db, hasher, commonPasswords },
    { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD },
  );
  return {
    config,
    db,
    hasher,
    commonPasswords,
    signer: createTokenSigner({
      secret: config.SIGNING_KEY_SECRET,
      issuer: config.TOKEN_ISSUER,
    }),
    verify: createTokenVerifier({
      keys: localKeys(db, config.ACCESS_TOKEN_TTL_SECONDS + 60),
      issuer: config.TOKEN_ISSUER,
      audience: config.TOKEN_AUDIENCE,
      // Identity reads its own list at every check: a token is refused here the moment its
      // sign-in ends.
      revocations: {
        source: (since) => selectRevokedSessions(db, since ? new Date(since) : undefined),
        syncIntervalMs: 0,
      },
    }),
    clients: parseServiceClients(config.SERVICE_CLIENTS),
  };
}
