import type { Queryable } from '@bazaar/db/pool';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { escapeMarkup } from '@bazaar/service-kit/markup';
import type { FastifyRequest } from 'fastify';
import { selectCategories } from '../store/category-store.js';
import { selectActiveProductSlugs } from '../store/product-store.js';

/** The shop's address as the shopper reached it (the gateway passes it on as X-Forwarded-*). */
const originOf = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

/** Pages a crawler has no business in: a shopper's own, the back office, the API. */
const ownPages = [
  '/admin',
  '/cart',
  '/checkout',
  '/orders',
  '/order/',
  '/signin',
  '/signup',
  '/api/',
];

/**
 * What search engines read: `robots.txt` (where not to go, where the sitemap is) and
 * `sitemap.xml` (the home page, each category, each product on sale with when it changed).
 */
export function searchEngineRoutes(app: ServiceApp, deps: { db: Queryable }): void {
  app.get('/robots.txt', { schema: { hide: true } }, async (request, reply) =>
    reply
      .type('text/plain; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(
        [
          'User-agent: *',
          ...ownPages.map((path) => `Disallow: ${path}`),
          `Sitemap: ${originOf(request)}/sitemap.xml`,
          '',
        ].join('\n'),
      ),
  );

  app.get('/sitemap.xml', { schema: { hide: true } }, async (request, reply) => {
    const origin = originOf(request);
    const [categories, products] = await Promise.all([
      selectCategories(deps.db),
      selectActiveProductSlugs(deps.db),
    ]);
    const url = (path: string, lastmod?: string) =>
      `  <url><loc>${escapeMarkup(`${origin}${path}`)}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ''}</url>`;
    return reply
      .type('application/xml; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(
        [
          '<?xml version="1.0" encoding="UTF-8"?>',
          '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
          url('/'),
          ...categories.map((category) => url(`/?category=${encodeURIComponent(category.slug)}`)),
          ...products.map((product) =>
            url(`/products/${encodeURIComponent(product.slug)}`, product.updatedAt),
          ),
          '</urlset>',
          '',
        ].join('\n'),
      );
  });
}
