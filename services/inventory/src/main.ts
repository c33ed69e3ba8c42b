import { identityVerifiers } from '@bazaar/service-kit/auth';
import { runDatabaseService } from '@bazaar/service-kit/database-service';
import { buildApp } from './app.js';
import { migrations, readConfig } from './config.js';

await runDatabaseService('inventory', {
  readConfig,
  migrations,
  build: async ({ config, db }) => ({
    app: await buildApp({ config, db, ...identityVerifiers(config) }),
  }),
});
