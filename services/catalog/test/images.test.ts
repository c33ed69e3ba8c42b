import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { imageSize } from 'image-size';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { demoImage } from '../src/domain/demo-image.js';
import { s3ImageStore } from '../src/store/image-store.js';
import { type RunningCatalog, startCatalog } from './catalog-fixture.js';

/** Product images kept through the S3 API in a real S3-compatible server (s3rver) on 127.0.0.1. */
let catalog: RunningCatalog;
let s3: S3rver;
let directory: string;
let endpoint: string;
let store: Awaited<ReturnType<typeof s3ImageStore>>;
const bucket = 'bazaar-images';
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = (await s3.run()) as AddressInfo;
  endpoint = `http://127.0.0.1:${port}`;
  store = await s3ImageStore({ bucket, region: 'us-east-1', endpoint, credentials });
  catalog = await startCatalog(inject('postgresUrl'), { images: store });
});

afterAll(async () => {
  await catalog?.close();
  store?.close();
  await s3?.close();
  if (directory) await rm(directory, { recursive: true });
});

// A 1×1 JPEG and a 1×1 lossless WebP, as cameras and editors write them (headers and all).
const jpeg = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);
const webp = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');

const firstProduct = async () =>
  (await catalog.send('GET', '/api/admin/products?limit=1&status=active')).json().items[0] as {
    id: string;
    slug: string;
    images: string[];
  };
const upload = (productId: string, bytes: Buffer, type = 'image/png') =>
  catalog.app.inject({
    method: 'POST',
    url: `/api/admin/products/${productId}/images`,
    headers: { authorization: `Bearer ${catalog.adminToken}`, 'content-type': type },
    payload: bytes,
  });

describe('product images', () => {
  test('an admin adds a PNG, a JPEG and a WebP to a gallery; each is kept in the bucket and served with its type and a year of caching', async () => {
    const product = await firstProduct();
    const png = demoImage(`upload-${product.slug}`);
    let images: string[] = [];
    for (const [bytes, type] of [
      [png, 'image/png'],
      [jpeg, 'image/jpeg'],
      [webp, 'application/octet-stream'],
    ] as const) {
      const added = await upload(product.id, bytes, type);
      expect(added.statusCode, added.body).toBe(201);
      images = added.json().images;
    }
    expect(images).toHaveLength(product.images.length + 3);
    const [pngPath, jpegPath, webpPath] = images.slice(-3) as [string, string, string];
    expect(pngPath).toMatch(/^\/media\/[0-9a-f]{32}\.png$/);
    expect(jpegPath).toMatch(/\.jpg$/);
    expect(webpPath).toMatch(/\.webp$/);

    const served = await catalog.app.inject({ method: 'GET', url: pngPath });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(served.rawPayload.equals(png)).toBe(true);
    const webpServed = await catalog.app.inject({ method: 'GET', url: webpPath });
    expect(webpServed.headers['content-type']).toBe('image/webp');

    const client = new S3Client({
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials,
    });
    const object = await client.send(
      new GetObjectCommand({ Bucket: bucket, Key: `products/${jpegPath.slice('/media/'.length)}` }),
    );
    expect(object.ContentType).toBe('image/jpeg');
    expect(Buffer.from((await object.Body?.transformToByteArray()) ?? []).equals(jpeg)).toBe(true);
    client.destroy();

    // The same file again changes nothing; taken out, it leaves the gallery.
    expect((await upload(product.id, png)).json().images).toEqual(images);
    const removed = await catalog.send(
      'DELETE',
      `/api/admin/products/${product.id}/images/${pngPath.slice(7)}`,
    );
    expect(removed.statusCode).toBe(200);
    expect(removed.json().images).not.toContain(pngPath);
    const shown = await catalog.app.inject({ method: 'GET', url: `/api/products/${product.slug}` });
    expect(shown.json().images).toEqual(images.filter((image) => image !== pngPath));
  });

  test('a file is judged by its bytes: a page named .png, a picture too large, or a 5 MB body are refused naming image', async () => {
    const product = await firstProduct();
    const page = await upload(
      product.id,
      Buffer.from('<svg onload="alert(1)"></svg>'),
      'image/png',
    );
    expect(page.statusCode).toBe(422);
    expect(page.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(page.json().errors).toEqual([
      { field: 'image', in: 'body', message: 'is not a JPEG, PNG or WebP file' },
    ]);
    // A PNG whose header says 5000 × 10 px.
    const wide = Buffer.from(demoImage('wide'));
    wide.writeUInt32BE(5000, 16);
    const tooWide = await upload(product.id, wide);
    expect(tooWide.statusCode).toBe(422);
    expect(tooWide.json().errors[0].message).toBe('is 5000×320 px; at most 4000 px a side');
    const huge = await upload(
      product.id,
      Buffer.concat([demoImage('huge'), Buffer.alloc(5 * 1024 * 1024)]),
    );
    expect(huge.statusCode).toBe(413);
    const json = await catalog.send('POST', `/api/admin/products/${product.id}/images`, {
      image: 'x',
    });
    expect(json.statusCode).toBe(422);
    expect(json.json().errors[0].field).toBe('image');
    const none = await catalog.app.inject({ method: 'GET', url: `/media/${'0'.repeat(32)}.png` });
    expect(none.statusCode).toBe(404);
    const unknown = await upload('00000000-0000-4000-8000-000000000000', demoImage('x'));
    expect(unknown.statusCode).toBe(404);
  });

  test("the demo catalog's pictures are PNGs drawn per product, and only for the products that show them", async () => {
    const product = (
      await catalog.app.inject({ method: 'GET', url: '/api/products?limit=1' })
    ).json().items[0];
    expect(product.images[0]).toBe(`/media/demo/${product.slug}.png`);
    const picture = await catalog.app.inject({ method: 'GET', url: product.images[0] });
    expect(picture.statusCode).toBe(200);
    expect(picture.headers['content-type']).toBe('image/png');
    expect(imageSize(picture.rawPayload)).toMatchObject({ width: 320, height: 320, type: 'png' });
    const other = (await catalog.app.inject({ method: 'GET', url: '/api/products?limit=2' })).json()
      .items[1];
    const otherPicture = await catalog.app.inject({ method: 'GET', url: other.images[0] });
    expect(otherPicture.rawPayload.equals(picture.rawPayload)).toBe(false);
    const made = await catalog.app.inject({
      method: 'GET',
      url: '/media/demo/no-such-product.png',
    });
    expect(made.statusCode).toBe(404);
  });
});
