import { identityVerifiers } from '@bazaar/service-kit/auth';
import { runDatabaseService } from '@bazaar/service-kit/database-service';
import { serviceClient } from '@bazaar/service-kit/service-client';
import { serviceTokenSource } from '@bazaar/service-kit/service-token';
import { buildApp } from './app.js';
import { neighbours } from './clients/index.js';
import { migrations, readConfig } from './config.js';
import { eventHandlers } from './events/index.js';

await runDatabaseService('orders', {
  readConfig,
  migrations,
  build: async ({ config, db }) => {
    const token = serviceTokenSource({
      identityUrl: config.IDENTITY_URL,
      clientId: config.SERVICE_CLIENT_ID,
      clientSecret: config.SERVICE_CLIENT_SECRET,
    });
    const client = (name: string, baseUrl: string) => serviceClient({ name, baseUrl, token });
    return {
      app: await buildApp({
        config,
        db,
        services: neighbours({
          cart: client('cart', config.CART_URL),
          catalog: client('catalog', config.CATALOG_URL),
          inventory: client('inventory', config.INVENTORY_URL),
          payments: client('payments', config.PAYMENTS_URL),
        }),
        verify: identityVerifiers(config).verify,
      }),
      handlers: eventHandlers,
    };
  },
});
