import type { Money } from '@bazaar/contracts/money';
/** An amount in minor units (cents) and its ISO 4217 currency. */

export type ProductSummary = {
  id: string;
  slug: string;
  name: string;
  description: string;
  status: ProductStatus;
  category: { slug: string; name: string };
  images: string[];
  /** The lowest price among the product's variants. */
  price: Money;
  variantCount: number;
  /** At least one variant can be bought now. */
  inStock: boolean;
};

export type Variant = {
  sku: string;
  options: Record<string, string>;
  price: Money;
  inStock: boolean;
};

export type ProductStatus = 'draft' | 'active' | 'archived';

export type ProductDetail = Omit<ProductSummary, 'variantCount'> & {
  variants: Variant[];
  /** ISO 8601 */
  updatedAt: string;
};

export const productSorts = ['relevance', 'newest', 'price_asc', 'price_desc'] as const;
export type ProductSort = (typeof productSorts)[number];

export type ListingFilters = {
  /** A tsquery built by `toSearchQuery`, never the shopper's raw text. */
  searchQuery?: string | undefined;
  category?: string | undefined;
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
  /** true: only products with a variant in stock; false: only sold-out ones. */
  inStock?: boolean | undefined;
  /** Public lists show active products only (undefined); admins may ask for one status or any. */
  status?: ProductStatus | 'any' | undefined;
};

/**
 * Turns what a shopper typed into a prefix query: `desk lam` → `desk:* & lam:*`, so results appear
 * while a word is half typed. Only letters and digits pass, so the text can never be tsquery syntax.
 */
export function toSearchQuery(text: string): string | undefined {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length > 0 ? words.map((word) => `${word}:*`).join(' & ') : undefined;
}

/** `"Oak Desk Lamp"` → `"oak-desk-lamp"`. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replaceAll(/[^a-z0-9]+/g, '-')
    .replaceAll(/^-|-$/g, '');
}
