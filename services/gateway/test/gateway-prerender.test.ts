import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { get, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { type RunningStack, startStack } from './stack-fixture.js';

/** The built index.html's shape (web/storefront/index.html after `vite build`). */
const shell = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="description" content="Bazaar: a small shop of useful things" />
    <title>Bazaar</title>
    <script type="module" crossorigin src="/assets/index-abc.js"></script>
  </head>
  <body>
    <div id="root"></div>
  </body>
</html>`;

let directory: string;
let stack: RunningStack;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'bazaar-storefront-'));
  await writeFile(join(directory, 'index.html'), shell);
  stack = await startStack(
    inject('postgresUrl'),
    { STOREFRONT_DIR: directory },
    { seedCatalog: true },
  );
}, 60_000);

afterAll(async () => {
  await stack?.close();
  await rm(directory, { recursive: true, force: true });
});

/** A page as a crawler fetches it, and what its head and root hold. */
async function crawl(path: string) {
  const response = await fetch(`${stack.url}${path}`, { headers: { accept: 'text/html' } });
  const html = await response.text();
  const head = html.slice(0, html.indexOf('</head>'));
  const root = html.slice(html.indexOf('<div id="root">'));
  const data = /<script type="application\/ld\+json">([^<]*)<\/script>/.exec(head)?.[1];
  return {
    status: response.status,
    html,
    head,
    root,
    canonical: /<link rel="canonical" href="([^"]*)"/.exec(head)?.[1]?.replaceAll('&#38;', '&'),
    structured: data ? JSON.parse(data) : undefined,
  };
}

describe('pages as search engines and link previews get them', () => {
  test('a product page carries its title, description, canonical address, content and Product data', async () => {
    const page = await crawl('/products/oak-desk-lamp');
    expect(page.status).toBe(200);
    expect(page.head).toContain('<title>Oak Desk Lamp · Bazaar</title>');
    expect(page.head.match(/<meta name="description"/g)).toHaveLength(1);
    expect(page.canonical).toBe(`${stack.url}/products/oak-desk-lamp`);
    expect(page.root).toContain('<h1>Oak Desk Lamp</h1>');
    expect(page.root).toMatch(/<p class="big">\$\d+\.\d{2}<\/p>/);
    expect(page.structured).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Product',
      name: 'Oak Desk Lamp',
      url: `${stack.url}/products/oak-desk-lamp`,
      offers: { '@type': 'AggregateOffer', priceCurrency: 'USD' },
    });
    expect(page.structured.offers.lowPrice).toMatch(/^\d+\.\d{2}$/);
    // The product as the API has it: the schema.org price is its price in major units.
    const product = await (await fetch(`${stack.url}/api/products/oak-desk-lamp`)).json();
    expect(page.structured.offers.lowPrice).toBe((product.price.amount / 100).toFixed(2));
    expect(page.structured.image[0]).toBe(new URL(product.images[0], stack.url).toString());
    // No stock is announced to this catalog (no inventory runs here): sold out, as the API says.
    expect(product.inStock).toBe(false);
    expect(page.structured.offers.availability).toBe('https://schema.org/OutOfStock');
  });

  test('an aisle page lists its products as links, with its canonical address and the next page', async () => {
    const page = await crawl('/?category=lighting&inStock=true');
    expect(page.status).toBe(200);
    expect(page.head).toContain('<title>Lighting · Bazaar</title>');
    // Filters a shopper adds are one page for a search engine: the aisle.
    expect(page.canonical).toBe(`${stack.url}/?category=lighting`);
    expect(page.root).toContain('<h1>Lighting</h1>');
    expect(page.root).toContain('<a href="/products/oak-desk-lamp">');
    const second = await crawl('/?page=2');
    expect(second.canonical).toBe(`${stack.url}/?page=2`);
    expect(second.root.match(/<li class="card">/g)).toHaveLength(24);
    expect(second.root).toContain('href="/?page=3" rel="next"');
  });

  test('search results are not for indexing; an unknown product or aisle is a 404 with the app to show it', async () => {
    const search = await crawl('/?q=lamp');
    expect(search.head).toContain('<meta name="robots" content="noindex" />');
    expect(search.canonical).toBeUndefined();
    for (const path of ['/products/no-such-thing', '/?category=no-such-aisle']) {
      const missing = await crawl(path);
      expect(missing.status, path).toBe(404);
      expect(missing.html, path).toContain(
        '<script type="module" crossorigin src="/assets/index-abc.js">',
      );
    }
  });

  test('the page goes out compressed to a browser that takes it', async () => {
    const { headers, body } = await new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>(
      (resolve, reject) => {
        get(
          `${stack.url}/products/oak-desk-lamp`,
          { headers: { 'accept-encoding': 'br' } },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () =>
              resolve({ headers: response.headers, body: Buffer.concat(chunks) }),
            );
          },
        ).on('error', reject);
      },
    );
    expect(headers['content-encoding']).toBe('br');
    expect(headers.vary).toMatch(/accept-encoding/);
    expect(brotliDecompressSync(body).toString()).toContain('<h1>Oak Desk Lamp</h1>');
  });
});

test('with catalog away, pages still go out as the app, which says what is wrong', async () => {
  const away = await startStack(inject('postgresUrl'), {
    STOREFRONT_DIR: directory,
    CATALOG_URL: 'http://127.0.0.1:9',
  });
  try {
    const response = await fetch(`${away.url}/products/oak-desk-lamp`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Bazaar</title>');
  } finally {
    await away.close();
  }
}, 60_000);
