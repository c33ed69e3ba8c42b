import type { Queryable } from '@bazaar/db/pool';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { type TSchema, Type } from 'typebox';
import { buildCategoryTree } from '../domain/category.js';
import { selectCategories } from '../store/category-store.js';

const CategoryNode = Type.Cyclic(
  {
    CategoryNode: Type.Object({
      slug: Type.String(),
      name: Type.String(),
      children: Type.Array(Type.Ref('CategoryNode')),
    }),
  },
  'CategoryNode',
) as TSchema;

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
