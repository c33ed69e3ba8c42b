import { ProductDetail } from '@bazaar/contracts/shop-api';
import type { Pool } from '@bazaar/db/pool';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { requireRole, type TokenVerifier } from '@bazaar/service-kit/auth';
import { DomainError } from '@bazaar/service-kit/errors';
import { Type } from 'typebox';
import { demoImage } from '../domain/demo-image.js';
import { CatalogError } from '../domain/errors.js';
import {
  checkImage,
  imagePath,
  imageType,
  immutableCaching,
  maxImageBytes,
  maxProductImages,
} from '../domain/images.js';
import { adminView, updateProduct } from '../domain/manage-products.js';
import type { ReadCache } from '../domain/read-cache.js';
import type { ImageStore } from '../store/image-store.js';
import { selectProductDetail, showsImage } from '../store/product-store.js';

const ImageName = Type.String({ pattern: '^[0-9a-f]{32}\\.(jpg|png|webp)$' });
const ProductParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
/** The types a browser may send a file as; what it is, is read from its bytes. */
const uploadTypes = ['image/jpeg', 'image/png', 'image/webp', 'application/octet-stream'];

export function imageRoutes(
  app: ServiceApp,
  deps: { db: Pool; cache: ReadCache; images: ImageStore; verify: TokenVerifier },
): void {
  const adminOnly = requireRole(deps.verify, 'admin');
  app.addContentTypeParser(uploadTypes, { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );
  const productOf = async (id: string) => {
    const product = await selectProductDetail(deps.db, { id });
    if (!product) throw new DomainError('not_found', `There is no product ${id}`);
    return product;
  };

  app.post(
    '/api/admin/products/:id/images',
    {
      onRequest: adminOnly,
      bodyLimit: maxImageBytes,
      schema: {
        summary:
          "Add an image to a product's gallery: a JPEG, PNG or WebP of at most 5 MB and 4000 px a side, sent as the body",
        tags: ['admin'],
        consumes: uploadTypes,
        params: ProductParams,
        response: { 201: ProductDetail },
      },
    },
    async (request, reply) => {
      const product = await productOf(request.params.id);
      if (!Buffer.isBuffer(request.body)) {
        throw new CatalogError(
          'invalid_image',
          "The image is not in the body: send the file's bytes",
          {
            errors: [
              {
                field: 'image',
                in: 'body',
                message: "is missing: send the file's bytes as the body",
              },
            ],
          },
        );
      }
      const image = checkImage(request.body);
      const path = imagePath(image.name);
      if (product.images.includes(path))
        return reply.code(201).send(await adminView(deps.db, product));
      if (product.images.length >= maxProductImages) {
        throw new CatalogError(
          'invalid_image',
          `A product has at most ${maxProductImages} images`,
          {
            errors: [
              {
                field: 'image',
                in: 'body',
                message: `is one more than the ${maxProductImages} a product may have`,
              },
            ],
          },
        );
      }
      if (!(await deps.images.has(image.name))) {
        await deps.images.put(image.name, request.body, image.type);
      }
      const updated = await updateProduct(deps, product.id, { images: [...product.images, path] });
      return reply.code(201).send(updated);
    },
  );

  app.delete(
    '/api/admin/products/:id/images/:name',
    {
      onRequest: adminOnly,
      schema: {
        summary: "Take an image out of a product's gallery",
        tags: ['admin'],
        params: Type.Object({ id: Type.String({ format: 'uuid' }), name: ImageName }),
        response: { 200: ProductDetail },
      },
    },
    async (request) => {
      const product = await productOf(request.params.id);
      const path = imagePath(request.params.name);
      if (!product.images.includes(path)) {
        throw new DomainError(
          'not_found',
          `${request.params.name} is not an image of this product`,
        );
      }
      // The file stays: a content-addressed image may be another product's too, and the bucket
      // keeps old versions for a month anyway.
      return updateProduct(deps, product.id, {
        images: product.images.filter((image) => image !== path),
      });
    },
  );

  app.get(
    '/media/:name',
    {
      schema: {
        summary: 'A product image; its name is its content, so it may be cached for a year',
        tags: ['catalog'],
        params: Type.Object({ name: ImageName }),
        produces: ['image/jpeg', 'image/png', 'image/webp'],
      },
    },
    async (request, reply) => {
      const bytes = await deps.images.get(request.params.name);
      if (!bytes) throw new DomainError('not_found', `There is no image ${request.params.name}`);
      return reply
        .type(imageType(request.params.name) ?? 'application/octet-stream')
        .header('cache-control', immutableCaching)
        .header('etag', `"${request.params.name.split('.')[0]}"`)
        .send(bytes);
    },
  );

  // The demo catalog's pictures, drawn once per process for the products that show them.
  const drawn = new Map<string, Buffer>();
  app.get(
    '/media/demo/:file',
    {
      schema: {
        summary: "A demo product's picture, drawn from its slug",
        tags: ['catalog'],
        params: Type.Object({
          file: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*\\.png$', maxLength: 130 }),
        }),
        produces: ['image/png'],
      },
    },
    async (request, reply) => {
      const { file } = request.params;
      let bytes = drawn.get(file);
      if (!bytes) {
        if (!(await showsImage(deps.db, `/media/demo/${file}`))) {
          throw new DomainError('not_found', `There is no image ${file}`);
        }
        bytes = demoImage(file.slice(0, -'.png'.length));
        if (drawn.size < 1000) drawn.set(file, bytes);
      }
      return reply.type('image/png').header('cache-control', immutableCaching).send(bytes);
    },
  );
}
