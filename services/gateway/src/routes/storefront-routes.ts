import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceApp } from '@bazaar/service-kit/app';
import fastifyStatic from '@fastify/static';
import { GatewayError } from '../domain/errors.js';

/** Paths that belong to the API and the platform, never to the single-page app. */
const notPages = /^\/(api|internal|\.well-known|healthz|readyz|metrics|openapi\.json)(\/|$)/;

/**
 * Serves the storefront: its files as they are, compressed where the browser takes it (hashed
 * assets cached for a year, the rest revalidated), and index.html for every page path, so that a reload or a shared link of
 * `/products/oak-desk-lamp` opens that page. Without a built storefront, `/` stays a 404.
 */
export async function storefrontRoutes(app: ServiceApp, directory: string): Promise<boolean> {
  if (!existsSync(join(directory, 'index.html'))) return false;
  await app.register(fastifyStatic, {
    root: directory,
    wildcard: false,
    index: false,
    // The build writes .br and .gz copies of its text files (web/storefront/vite.config.ts):
    // each is sent as it is to a browser that takes it, with `vary: accept-encoding`.
    preCompressed: true,
    // The build keeps source maps for reading a shopper's stack trace; the shop never hands them out.
    allowedPath: (path) => !path.endsWith('.map'),
    setHeaders: (reply, path) => {
      reply.header(
        'cache-control',
        path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    // A path with an extension is a file that is not there, not a page.
    if (notPages.test(path) || /\.[a-z0-9]+$/i.test(path)) {
      throw new GatewayError('not_found', `No route for GET ${path}`);
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
  return true;
}
