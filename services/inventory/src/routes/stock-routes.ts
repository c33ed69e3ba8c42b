import { Sku } from '@bazaar/contracts/internal-api';
import { ImportReport, StockLevel } from '@bazaar/contracts/shop-api';
import type { Pool } from '@bazaar/db/pool';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { requireRole, type TokenVerifier } from '@bazaar/service-kit/auth';
import { csvRoutes } from '@bazaar/service-kit/csv';
import { Type } from 'typebox';
import { InventoryError } from '../domain/errors.js';
import { setStock } from '../domain/set-stock.js';
import { importStockCsv, stockCsv } from '../domain/stock-csv.js';
import { selectAllStock, selectStock } from '../store/stock-store.js';

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
