export type Category = { id: string; slug: string; name: string; parentId: string | null };

export type CategoryNode = { slug: string; name: string; children: CategoryNode[] };

/** Nests categories under their parents, keeping the given order among siblings. */
export function buildCategoryTree(categories: readonly Category[]): CategoryNode[] {
  const nodes = new Map(
    categories.map((category) => [
      category.id,
      { slug: category.slug, name: category.name, children: [] as CategoryNode[] },
    ]),
  );
  const roots: CategoryNode[] = [];
  for (const category of categories) {
    const node = nodes.get(category.id);
    if (!node) continue;
    const parent = category.parentId === null ? undefined : nodes.get(category.parentId);
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}
