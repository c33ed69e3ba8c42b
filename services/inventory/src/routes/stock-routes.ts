import { Sku } from '@bazaar/contracts/internal-api';
import { ImportReport, StockLevel } from '@bazaar/contracts/shop-api';
import type { Pool } from '@bazaar/db/pool';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { requireRole, type TokenVerifier } from '@bazaar/service-kit/auth';
import { csvRoutes } from '@bazaar/service-kit/csv';
import { pageLimit } from '@bazaar/service-kit/keyset-cursor';
import { Type } from 'typebox';
import { InventoryError } from '../domain/errors.js';
import { setStock } from '../domain/set-stock.js';
import { importStockCsv, stockCsv } from '../domain/stock-csv.js';
import { selectAllStock, selectStock, selectStockPage } from '../store/stock-store.js';

export function stockRoutes(app: ServiceApp, deps: { db: Pool; verify: TokenVerifier }): void {
  const adminOnly = requireRole(deps.verify, 'admin');
  csvRoutes(app, {
    adminOnly,
    what: "SKU's stock",
    exportPath: '/api/admin/inventory/export',
    importPath: '/api/admin/inventory/import',
    fileName: 'stock.csv',
    importColumns: 'sku, on_hand, low_stock_threshold?',
    report: ImportReport,
    exportCsv: async () => stockCsv(await selectAllStock(deps.db)),
    importCsv: (text, options) => importStockCsv(deps.db, text, options),
  });

  app.get(
    '/api/inventory/:sku',
    {
      schema: {
        summary: 'How many units of a SKU can be bought now',
        tags: ['inventory'],
        params: Type.Object({ sku: Sku }),
        response: { 200: Type.Object({ sku: Type.String(), available: Type.Integer() }) },
      },
    },
    async (request) => {
      const stock = await selectStock(deps.db, request.params.sku);
      if (!stock)
        throw new InventoryError('unknown_sku', `No stock is kept for ${request.params.sku}`);
      return { sku: stock.sku, available: stock.available };
    },
  );

  app.get(
    '/api/admin/inventory',
    {
      onRequest: adminOnly,
      schema: {
        summary: "SKUs' stock in SKU order: those holding q, only the low ones with low=true",
        tags: ['admin'],
        querystring: Type.Object(
          {
            q: Type.Optional(
              Type.String({
                pattern: '^[A-Za-z0-9-]{1,64}$',
                description: 'part of a SKU, any case',
              }),
            ),
            low: Type.Boolean({
              default: false,
              description: 'only SKUs whose available units are at or under their threshold',
            }),
            limit: pageLimit(50),
            after: Type.Optional(Sku),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(StockLevel),
            nextAfter: Type.Union([Type.String(), Type.Null()], {
              description: 'the `after` of the next page; null on the last',
            }),
          }),
        },
      },
    },
    async (request) => {
      const { q, low, limit, after } = request.query;
      const rows = await selectStockPage(deps.db, {
        skuPart: q?.toUpperCase(),
        low,
        after,
        limit: limit + 1,
      });
      const items = rows.slice(0, limit);
      return { items, nextAfter: rows.length > limit ? (items.at(-1)?.sku ?? null) : null };
    },
  );

  app.get(
    '/api/admin/inventory/:sku',
    {
      onRequest: adminOnly,
      schema: {
        summary: 'On hand, reserved, available and the low-stock threshold of a SKU',
        tags: ['admin'],
        params: Type.Object({ sku: Sku }),
        response: { 200: StockLevel },
      },
    },
    async (request) => {
      const stock = await selectStock(deps.db, request.params.sku);
      if (!stock)
        throw new InventoryError('unknown_sku', `No stock is kept for ${request.params.sku}`);
      return stock;
    },
  );

  app.put(
    '/api/admin/inventory/:sku',
    {
      onRequest: adminOnly,
      schema: {
        summary: 'Set the units on hand (and optionally the low-stock threshold) of a SKU',
        tags: ['admin'],
        params: Type.Object({ sku: Sku }),
        body: Type.Object(
          {
            onHand: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
            lowStockThreshold: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: StockLevel },
      },
    },
    async (request) => setStock(deps.db, { sku: request.params.sku, ...request.body }),
  );
}
