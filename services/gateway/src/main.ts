import { runService } from '@bazaar/service-kit/serve';
import { buildApp } from './app.js';
import { readConfig } from './config.js';
import { prepareGateway } from './prepare-gateway.js';

await runService('gateway', async () => {
  const config = readConfig();
  return { app: await buildApp(prepareGateway(config)), config };
});
