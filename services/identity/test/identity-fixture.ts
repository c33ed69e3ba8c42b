import { createTestDatabase } from '@bazaar/db/test-database';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { buildApp } from '../src/app.js';
import { type IdentityConfig, migrations, readConfig } from '../src/config.js';
import type { TokenClaims } from '../src/domain/signing-keys.js';
import { prepareIdentity } from '../src/prepare-identity.js';

export const testServiceClient = { id: 'orders', secret: 'orders-test-secret-0123456789' };
export const testAdmin = { email: 'admin@bazaar.test', password: 'admin-test-password' };

export type RunningIdentity = {
  app: ServiceApp;
  config: Readonly<IdentityConfig>;
  /** A token signed by identity's active key, as a sign-in gets one. */
  sign: (claims: TokenClaims) => Promise<string>;
  databaseUrl: string;
  close: () => Promise<void>;
};

/** Identity on its own fresh database, with cheap argon2 settings so tests stay quick. */
export async function startIdentity(
  postgresUrl: string,
  env: Record<string, string> = {},
): Promise<RunningIdentity> {
  const database = await createTestDatabase(postgresUrl, { migrations: migrations });
  const config = readConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    ARGON2_MEMORY_KIB: '8192',
    ARGON2_TIME_COST: '1',
    ADMIN_EMAIL: testAdmin.email,
    ADMIN_PASSWORD: testAdmin.password,
    SERVICE_CLIENTS: `${testServiceClient.id}:${testServiceClient.secret}`,
    ...env,
  });
  const deps = await prepareIdentity(config, database.pool);
  const app = await buildApp(deps);
  await app.ready();
  return {
    app,
    config,
    sign: (claims) => deps.signer.sign(claims, database.pool),
    databaseUrl: database.url,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
