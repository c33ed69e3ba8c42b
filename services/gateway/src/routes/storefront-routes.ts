import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { CategoryNode, ProductDetail, ProductListing } from '@bazaar/contracts/shop-api';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { httpCall } from '@bazaar/service-kit/http-client';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../domain/errors.js';
import {
  catalogPage,
  fillShell,
  notFoundPage,
  type PrerenderedPage,
  productPage,
} from '../domain/prerender.js';

/** Paths that belong to the API and the platform, never to the single-page app. */
const notPages = /^\/(api|internal|\.well-known|healthz|readyz|metrics|openapi\.json)(\/|$)/;

/** The catalog's page size in the storefront (web/storefront/src/pages/Catalog.tsx). */
const catalogPageSize = 24;

/** How long a page waits for catalog before it goes out without its content (the app loads it). */
const catalogWaitMs = 2000;

/**
 * Serves the storefront: its files as they are, compressed where the browser takes it (hashed
 * assets cached for a year, the rest revalidated), and index.html for every page path, so that a
 * reload or a shared link of `/products/oak-desk-lamp` opens that page. The catalog's pages and
 * the product pages go out with their content, title, canonical address and schema.org data
 * filled in from catalog (a missing product is a 404), for search engines and link previews.
 * Without a built storefront, `/` stays a 404.
 */
export async function storefrontRoutes(
  app: ServiceApp,
  options: { directory: string; catalogUrl: string },
): Promise<boolean> {
  const { directory } = options;
  if (!existsSync(join(directory, 'index.html'))) return false;
  const shell = readFileSync(join(directory, 'index.html'), 'utf8');
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
    reply.header('cache-control', 'no-cache');
    const page = await prerender(request, options.catalogUrl).catch((error: unknown) => {
      request.log.warn({ err: error }, 'page sent without its content: catalog did not answer');
      return undefined;
    });
    if (!page) return reply.sendFile('index.html');
    return sendHtml(request, reply.code(page.status), fillShell(shell, page));
  });
  return true;
}

/** The content of the catalog's and the product pages; undefined for the app's other pages. */
async function prerender(
  request: FastifyRequest,
  catalogUrl: string,
): Promise<PrerenderedPage | undefined> {
  const url = new URL(request.url, 'http://page');
  const origin = `${request.protocol}://${request.host}`;
  const read = async <T>(path: string): Promise<T | undefined> => {
    const response = await httpCall(`${catalogUrl}${path}`, {
      timeoutMs: catalogWaitMs,
    });
    if (response.status === 404 || response.status === 400) return undefined;
    if (response.status !== 200) throw new Error(`catalog answered ${response.status} for ${path}`);
    return JSON.parse(response.text) as T;
  };

  const product = /^\/products\/([a-z0-9]+(?:-[a-z0-9]+)*)$/.exec(url.pathname)?.[1];
  if (product) {
    const found = await read<ProductDetail>(`/api/products/${product}`);
    return found ? productPage(found, origin) : notFoundPage();
  }
  if (url.pathname !== '/') return undefined;
  const category = url.searchParams.get('category') ?? '';
  const searched = url.searchParams.get('q') ?? '';
  const page = Math.max(1, Math.min(100, Math.trunc(Number(url.searchParams.get('page'))) || 1));
  const query = new URLSearchParams({ limit: String(catalogPageSize), page: String(page) });
  if (category) query.set('category', category);
  if (searched) query.set('q', searched);
  const [listing, categories] = await Promise.all([
    read<ProductListing>(`/api/products?${query}`),
    read<{ items: CategoryNode[] }>('/api/categories'),
  ]);
  if (!listing || !categories) return notFoundPage();
  const node = findCategory(categories.items, category);
  return catalogPage(listing, {
    origin,
    ...(node ? { category: node } : {}),
    page,
    searched: searched !== '',
  });
}

function findCategory(tree: readonly CategoryNode[], slug: string): CategoryNode | undefined {
  for (const node of tree) {
    if (node.slug === slug) return node;
    const below = findCategory(node.children, slug);
    if (below) return below;
  }
  return undefined;
}

/** A page made for this request, compressed as the browser takes it (Brotli, else gzip). */
function sendHtml(request: FastifyRequest, reply: FastifyReply, html: string) {
  const accepted = String(request.headers['accept-encoding'] ?? '');
  reply.header('content-type', 'text/html; charset=utf-8').header('vary', 'accept-encoding');
  if (/\bbr\b/.test(accepted)) {
    return reply
      .header('content-encoding', 'br')
      .send(brotliCompressSync(html, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }));
  }
  if (/\bgzip\b/.test(accepted))
    return reply.header('content-encoding', 'gzip').send(gzipSync(html));
  return reply.send(html);
}
