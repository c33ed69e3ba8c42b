import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildApp } from '../src/app.js';
import { prepareGateway } from '../src/prepare-gateway.js';
import { gatewayConfig } from './stack-fixture.js';

const page = '<!doctype html><title>Bazaar</title>';
const bundle = 'console.log("a storefront");'.repeat(100);
let directory: string;
let gateway: ServiceApp;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'bazaar-storefront-'));
  await mkdir(join(directory, 'assets'));
  await writeFile(join(directory, 'index.html'), page);
  await writeFile(join(directory, 'assets', 'index-abc123.js'), bundle);
  await writeFile(join(directory, 'assets', 'index-abc123.js.map'), '{"version":3}');
  // The build's compressed copies (web/storefront/vite.config.ts writes them so).
  await writeFile(join(directory, 'assets', 'index-abc123.js.br'), brotliCompressSync(bundle));
  await writeFile(join(directory, 'assets', 'index-abc123.js.gz'), gzipSync(bundle));
  await writeFile(join(directory, 'index.html.gz'), gzipSync(page));
  // No catalog answers: pages go out as the app's shell.
  gateway = await buildApp(
    await prepareGateway(
      gatewayConfig({ STOREFRONT_DIR: directory, CATALOG_URL: 'http://127.0.0.1:9' }),
    ),
  );
  await gateway.ready();
});

afterAll(async () => {
  await gateway.close();
  await rm(directory, { recursive: true, force: true });
});

const get = (url: string, accept = 'text/html') =>
  gateway.inject({ method: 'GET', url, headers: { accept } });

test('every page path of the single-page app gets index.html, revalidated on each visit', async () => {
  for (const path of ['/', '/products/oak-desk-lamp', '/orders/123?placed=1', '/admin/orders']) {
    const response = await get(path);
    expect(response.statusCode, path).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.body).toContain('<title>Bazaar</title>');
  }
});

test('hashed assets are cached for a year', async () => {
  const response = await get('/assets/index-abc123.js', '*/*');
  expect(response.statusCode).toBe(200);
  expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
});

test('text goes out compressed, Brotli first, gzip next, as it is to a browser that takes neither', async () => {
  const as = (encoding: string, url = '/assets/index-abc123.js') =>
    gateway.inject({ method: 'GET', url, headers: { accept: '*/*', 'accept-encoding': encoding } });
  const brotli = await as('gzip, deflate, br');
  expect(brotli.headers['content-encoding']).toBe('br');
  expect(brotli.headers.vary).toMatch(/accept-encoding/i);
  expect(brotliDecompressSync(brotli.rawPayload).toString()).toBe(bundle);
  expect(brotli.rawPayload.length).toBeLessThan(bundle.length / 5);
  const gzip = await as('gzip');
  expect(gzip.headers['content-encoding']).toBe('gzip');
  expect(gunzipSync(gzip.rawPayload).toString()).toBe(bundle);
  const plain = await as('identity');
  expect(plain.headers['content-encoding']).toBeUndefined();
  expect(plain.body).toBe(bundle);
  // A page path gets index.html compressed too.
  const home = await as('gzip', '/products/oak-desk-lamp');
  expect(home.headers['content-encoding']).toBe('gzip');
  expect(gunzipSync(home.rawPayload).toString()).toBe(page);
});

test('source maps are never published, though they sit beside the bundles', async () => {
  const response = await get('/assets/index-abc123.js.map', '*/*');
  expect(response.statusCode).toBe(404);
  expect(response.body).not.toContain('"version"');
});

test('API paths, internal paths and missing files stay problem+json 404s', async () => {
  for (const path of ['/api/nope', '/internal/prices', '/assets/missing.js', '/favicon.ico']) {
    const response = await get(path);
    expect(response.statusCode, path).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  }
});
