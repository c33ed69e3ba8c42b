import { runService } from '@bazaar/service-kit/serve';
import { buildApp } from './app.js';
import { readConfig } from './config.js';

await runService('gateway', async () => {
  const config = readConfig();
  return { app: await buildApp({ config }), config };
});
