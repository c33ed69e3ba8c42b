import type { Queryable } from '@bazaar/db/pool';
import type { Category } from '../domain/category.js';

type CategoryRow = { id: string; slug: string; name: string; parent_id: string | null };

function toCategory(row: CategoryRow): Category {
  return { id: row.id, slug: row.slug, name: row.name, parentId: row.parent_id };
}

export async function selectCategories(db: Queryable): Promise<Category[]> {
  const { rows } = await db.query<CategoryRow>(
    'SELECT id, slug, name, parent_id FROM categories ORDER BY position, name',
  );
  return rows.map(toCategory);
}
