import type { CategoryNode } from '@bazaar/contracts/shop-api';
import { useEffect, useState } from 'react';
import { api } from './api';

let loading: Promise<CategoryNode[]> | undefined;

/**
 * The shop's departments and their aisles, asked for once a visit: the header, the search box and
 * the catalog all show them. Empty until they arrive; a failed request is asked again next time.
 */
export function useCategories(): readonly CategoryNode[] {
  const [tree, setTree] = useState<readonly CategoryNode[]>([]);
  useEffect(() => {
    loading ??= api<{ items: CategoryNode[] }>('/api/categories').then((found) => found.items);
    let current = true;
    loading.then(
      (found) => current && setTree(found),
      () => {
        loading = undefined;
      },
    );
    return () => {
      current = false;
    };
  }, []);
  return tree;
}
