import { createPool } from '@bazaar/db/pool';
import { parseConfig, postgresUrlSetting } from '@bazaar/service-kit/config';
import { Type } from 'typebox';
import { rotateSigningKey } from '../domain/signing-keys.js';

// Makes a new signing key active; the old one stays in the JWKS until the tokens it signed expire.
// Run: node services/identity/dist/commands/rotate-signing-key.js (with identity's settings).
const config = parseConfig(
  Type.Object({
    DATABASE_URL: postgresUrlSetting(),
    SIGNING_KEY_SECRET: Type.String({
      minLength: 32,
      description: 'the secret identity seals its signing keys with',
    }),
  }),
  process.env,
);
const db = createPool(config.DATABASE_URL, {
  applicationName: 'identity-rotate-signing-key',
  onIdleClientError: () => {},
});
try {
  process.stdout.write(
    `new signing key ${await rotateSigningKey(db, config.SIGNING_KEY_SECRET)}\n`,
  );
} finally {
  await db.end();
}
