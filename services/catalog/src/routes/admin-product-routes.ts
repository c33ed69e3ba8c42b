import { Sku } from '@bazaar/contracts/internal-api';
import { ImportReport, ProductDetail, ProductListing } from '@bazaar/contracts/shop-api';
import type { Pool } from '@bazaar/db/pool';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { requireRole, type TokenVerifier } from '@bazaar/service-kit/auth';
import { csvRoutes } from '@bazaar/service-kit/csv';
import { Type } from 'typebox';
import { CatalogError } from '../domain/errors.js';
import { maxProductImages } from '../domain/images.js';
import { listProducts } from '../domain/list-products.js';
import {
  adminView,
  archiveProduct,
  createProduct,
  updateProduct,
} from '../domain/manage-products.js';
import { slugify } from '../domain/product.js';
import { importProductsCsv, productsCsv } from '../domain/product-csv.js';
import type { ReadCache } from '../domain/read-cache.js';
import type { ShopRegions } from '../domain/shop-regions.js';
import { selectProductDetail } from '../store/product-store.js';
import { ListQuery } from './product-schemas.js';

const VariantInput = Type.Object(
  {
    sku: Sku,
    options: Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 80 }), {
      maxProperties: 6,
    }),
    prices: Type.Array(
      Type.Object(
        {
          amount: Type.Integer({
            minimum: 1,
            maximum: 100_000_000,
            description: 'minor units, above 0',
          }),
          currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' }),
        },
        { additionalProperties: false },
      ),
      {
        minItems: 1,
        maxItems: 20,
        description: "the variant's price list: one price in the currency of every region",
      },
    ),
  },
  { additionalProperties: false },
);

const productFields = {
  slug: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 120 }),
  name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  description: Type.String({ maxLength: 5000 }),
  category: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 64 }),
  status: Type.Enum(['draft', 'active', 'archived']),
  images: Type.Array(Type.String({ pattern: '^(https://|/)[^\\s]+$', maxLength: 500 }), {
    maxItems: maxProductImages,
  }),
  variants: Type.Array(VariantInput, { minItems: 1, maxItems: 100 }),
};

const CreateBody = Type.Object(
  {
    ...productFields,
    slug: Type.Optional(productFields.slug),
    status: Type.Optional(productFields.status),
    images: Type.Optional(productFields.images),
    description: Type.Optional(productFields.description),
  },
  { additionalProperties: false },
);

const PatchBody = Type.Partial(Type.Object(productFields), {
  additionalProperties: false,
  minProperties: 1,
});

const ProductParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export function adminProductRoutes(
  app: ServiceApp,
  deps: { db: Pool; cache: ReadCache; regions: ShopRegions; verify: TokenVerifier },
): void {
  const adminOnly = requireRole(deps.verify, 'admin');

  csvRoutes(app, {
    adminOnly,
    what: 'product variant',
    exportPath: '/api/admin/products/export',
    importPath: '/api/admin/products/import',
    fileName: 'products.csv',
    importColumns:
      'product, sku, options?, price_<currency>?, name?, category?, status?, images?, description?',
    report: ImportReport,
    exportCsv: () => productsCsv(deps.db),
    importCsv: (text, options) => importProductsCsv(deps, text, options),
  });

  app.get(
    '/api/admin/products',
    {
      onRequest: adminOnly,
      schema: {
        summary: 'Products in any status (or one), with the search, filters and sorts of the shop',
        tags: ['admin'],
        querystring: Type.Object(
          {
            ...ListQuery.properties,
            status: Type.Enum(['any', 'draft', 'active', 'archived'], { default: 'any' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: ProductListing },
      },
    },
    // Never cached: an admin sees a change the moment it is made.
    async (request) => listProducts(deps.db, deps.regions, request.query),
  );

  app.get(
    '/api/admin/products/:id',
    {
      onRequest: adminOnly,
      schema: {
        summary: 'A product in any status',
        tags: ['admin'],
        params: ProductParams,
        response: { 200: ProductDetail },
      },
    },
    async (request) => {
      const product = await selectProductDetail(deps.db, { id: request.params.id });
      if (!product) throw new CatalogError('not_found', `There is no product ${request.params.id}`);
      return adminView(deps.db, product);
    },
  );

  app.post(
    '/api/admin/products',
    {
      onRequest: adminOnly,
      schema: {
        summary: 'Add a product (a draft unless a status is given)',
        tags: ['admin'],
        body: CreateBody,
        response: { 201: ProductDetail },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const product = await createProduct(deps, {
        ...body,
        slug: body.slug ?? slugify(body.name),
        description: body.description ?? '',
        status: body.status ?? 'draft',
        images: body.images ?? [],
      });
      return reply.code(201).send(product);
    },
  );

  app.patch(
    '/api/admin/products/:id',
    {
      onRequest: adminOnly,
      schema: {
        summary: 'Change a product; variants, when sent, replace the whole set',
        tags: ['admin'],
        params: ProductParams,
        body: PatchBody,
        response: { 200: ProductDetail },
      },
    },
    async (request) => updateProduct(deps, request.params.id, request.body),
  );

  app.delete(
    '/api/admin/products/:id',
    {
      onRequest: adminOnly,
      schema: {
        summary: 'Archive a product: off sale, kept on record for the orders that name its SKUs',
        tags: ['admin'],
        params: ProductParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await archiveProduct(deps, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
