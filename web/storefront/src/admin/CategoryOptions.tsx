import { useCategories } from '../categories';

/**
 * The shop's aisles as a select's options, grouped by department; with `departments`, each
 * department can be chosen too (a promotion off a whole department).
 */
export function CategoryOptions({ departments = false }: { departments?: boolean }) {
  return useCategories().map((department) => (
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
