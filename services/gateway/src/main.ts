import { bootWarnings } from '@bazaar/service-kit/boot-warnings';
import { runService } from '@bazaar/service-kit/serve';
import { buildApp } from './app.js';
import { readConfig } from './config.js';
import { prepareGateway } from './prepare-gateway.js';

await runService('gateway', async () => {
  const config = readConfig();
  const warnings = bootWarnings('gateway');
  const app = await buildApp(
    await prepareGateway(config, (error) => warnings.warn(error, 'redis connection failed')),
  );
  warnings.attach(app.log);
  return { app, config };
});
