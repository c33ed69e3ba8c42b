import { runService } from '@bazaar/service-kit/serve';
import { buildApp } from './app.js';
import { readConfig } from './config.js';
import { prepareGateway } from './prepare-gateway.js';

await runService('gateway', async () => {
  const config = readConfig();
  const app = await buildApp(
    await prepareGateway(config, (error) =>
      app.log.warn({ err: error }, 'redis connection failed'),
    ),
  );
  return { app, config };
});
