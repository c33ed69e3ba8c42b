import type { Category } from './category.js';

export type CategoryFacet = { slug: string; name: string; count: number };

/**
 * Counts per category, each including its sub-categories, in tree order; categories with no match
 * are left out. `direct` holds the count of products filed directly under each category id.
 */
export function categoryFacets(
  categories: readonly Category[],
  direct: ReadonlyMap<string, number>,
): CategoryFacet[] {
  const totals = new Map<string, number>();
  const parentOf = new Map(categories.map((category) => [category.id, category.parentId]));
  for (const [categoryId, count] of direct) {
    for (let id: string | null | undefined = categoryId; id; id = parentOf.get(id)) {
      totals.set(id, (totals.get(id) ?? 0) + count);
    }
  }
  return categories
    .filter((category) => (totals.get(category.id) ?? 0) > 0)
    .map((category) => ({
      slug: category.slug,
      name: category.name,
      count: totals.get(category.id) ?? 0,
    }));
}
