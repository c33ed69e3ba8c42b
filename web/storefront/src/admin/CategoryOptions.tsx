import type { CategoryNode } from '@bazaar/contracts/shop-api';
import { useApi } from '../ui';

/**
 * The shop's aisles as a select's options, grouped by department; with `departments`, each
 * department can be chosen too (a promotion off a whole department).
 */
export function CategoryOptions({ departments = false }: { departments?: boolean }) {
  const categories = useApi<{ items: CategoryNode[] }>('/api/categories');
  return categories.data?.items.map((department) => (
    <optgroup key={department.slug} label={department.name}>
      {departments && <option value={department.slug}>{department.name} (all)</option>}
      {department.children.map((aisle) => (
        <option key={aisle.slug} value={aisle.slug}>
          {aisle.name}
        </option>
      ))}
    </optgroup>
  ));
}
