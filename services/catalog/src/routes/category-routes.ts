import { CategoryNode } from '@bazaar/contracts/shop-api';
import type { Queryable } from '@bazaar/db/pool';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { Type } from 'typebox';
import { buildCategoryTree } from '../domain/category.js';
import { selectCategories } from '../store/category-store.js';

export function categoryRoutes(app: ServiceApp, deps: { db: Queryable }): void {
  app.get(
    '/api/categories',
    {
      schema: {
        summary: 'The category tree: departments and their aisles',
        tags: ['categories'],
        response: { 200: Type.Object({ items: Type.Array(CategoryNode) }) },
      },
    },
    async () => ({ items: buildCategoryTree(await selectCategories(deps.db)) }),
  );
}
