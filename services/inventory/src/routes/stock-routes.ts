import { Sku } from '@bazaar/contracts/internal-api';
import { StockImportReport, StockLevel } from '@bazaar/contracts/shop-api';
import type { Pool } from '@bazaar/db/pool';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { requireRole, type TokenVerifier } from '@bazaar/service-kit/auth';
import { Type } from 'typebox';
import { InventoryError } from '../domain/errors.js';
import { setStock } from '../domain/set-stock.js';
import { importStockCsv, stockCsv } from '../domain/stock-csv.js';
import { selectAllStock, selectStock } from '../store/stock-store.js';

export function stockRoutes(app: ServiceApp, deps: { db: Pool; verify: TokenVerifier }): void {
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
  const adminOnly = requireRole(deps.verify, 'admin');

  app.get(
    '/api/admin/inventory/export',
    {
      onRequest: adminOnly,
      schema: {
        summary: "Every SKU's stock as CSV: sku, on_hand, reserved, available, low_stock_threshold",
        tags: ['admin'],
        produces: ['text/csv'],
      },
    },
    async (_request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="stock.csv"')
        .send(stockCsv(await selectAllStock(deps.db))),
  );

  app.post(
    '/api/admin/inventory/import',
    {
      onRequest: adminOnly,
      // 10,000 rows are about 200 KB; a whole warehouse's file fits.
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        summary:
          'Set on-hand counts from CSV (sku, on_hand, low_stock_threshold?); ?dryRun=true checks and reports without writing',
        tags: ['admin'],
        consumes: ['text/csv'],
        querystring: Type.Object(
          { dryRun: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        body: Type.String(),
        response: { 200: StockImportReport },
      },
    },
    async (request) => {
      const report = await importStockCsv(deps.db, request.body, {
        dryRun: request.query.dryRun ?? false,
      });
      if (!report.dryRun && report.errors.length > 0) {
        throw new InventoryError(
          'invalid_import',
          `${report.errors.length} cells of the file are wrong; nothing was written`,
          {
            errors: report.errors.map(({ line, column, message }) => ({
              field: column,
              in: 'body',
              line,
              message,
            })),
          },
        );
      }
      return report;
    },
  );

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
