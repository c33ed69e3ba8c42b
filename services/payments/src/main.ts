import { identityVerifiers } from '@bazaar/service-kit/auth';
import { runDatabaseService } from '@bazaar/service-kit/database-service';
import { buildApp } from './app.js';
import { migrations, readConfig } from './config.js';

await runDatabaseService('payments', {
  readConfig,
  migrations,
  build: async ({ config, db }) => ({
    app: await buildApp({ config, db, verifyService: identityVerifiers(config).verifyService }),
  }),
});
