import type { CategoryNode, ProductListing } from '@bazaar/contracts/shop-api';
import type { Money } from './money';

export type Suggestion =
  | { kind: 'category'; name: string; to: string }
  | { kind: 'product'; name: string; to: string; image: string | undefined; price: Money }
  | { kind: 'search'; name: string; to: string };

/**
 * What the search box offers for `text`: up to three departments or aisles whose name has a word
 * starting with one of the text's words, the products found (when the text found none as typed,
 * those of its correction, said so), and last the search itself.
 */
export function suggestionsFor(
  text: string,
  tree: readonly CategoryNode[],
  found: ProductListing | undefined,
): Suggestion[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return [];
  const categories = flatten(tree)
    .filter((category) => {
      const names = category.name.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
      return words.every((word) => names.some((name) => name.startsWith(word)));
    })
    .slice(0, 3)
    .map(
      (category): Suggestion => ({
        kind: 'category',
        name: category.name,
        to: `/?category=${category.slug}`,
      }),
    );
  const products = (found?.items ?? []).map(
    (product): Suggestion => ({
      kind: 'product',
      name: product.name,
      to: `/products/${product.slug}`,
      image: product.images[0],
      price: product.price,
    }),
  );
  const searched = found?.correctedQuery ?? text.trim();
  return [
    ...categories,
    ...products,
    {
      kind: 'search',
      name:
        found?.correctedQuery === undefined
          ? `All results for “${text.trim()}”`
          : `All results for “${searched}” (no products for “${text.trim()}”)`,
      to: `/?${new URLSearchParams({ q: searched })}`,
    },
  ];
}

function flatten(tree: readonly CategoryNode[]): CategoryNode[] {
  return tree.flatMap((node) => [node, ...flatten(node.children)]);
}
