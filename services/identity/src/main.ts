import { runDatabaseService } from '@bazaar/service-kit/database-service';
import { buildApp } from './app.js';
import { migrations, readConfig } from './config.js';
import { prepareIdentity } from './prepare-identity.js';

await runDatabaseService('identity', {
  readConfig,
  migrations,
  build: async ({ config, db }) => ({ app: await buildApp(await prepareIdentity(config, db)) }),
});
