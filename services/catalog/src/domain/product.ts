import type { Money } from '@bazaar/contracts/money';

export type ProductSummary = {
  id: string;
  slug: string;
  name: string;
  description: string;
  status: ProductStatus;
  category: { slug: string; name: string };
  images: string[];
  /** The lowest price among the product's variants, in the currency asked for. */
  price: Money;
  variantCount: number;
  /** At least one variant can be bought now. */
  inStock: boolean;
};

export type Variant = {
  sku: string;
  options: Record<string, string>;
  /** The price in the currency asked for. */
  price: Money;
  /** Its price list: one price in each currency it is sold in. */
  prices: Money[];
  inStock: boolean;
};

export type ProductStatus = 'draft' | 'active' | 'archived';

export type ProductDetail = Omit<ProductSummary, 'variantCount'> & {
  variants: Variant[];
  /** ISO 8601 */
  updatedAt: string;
};

/** A product as stored: each variant with its prices in every currency. */
export type StoredProduct = Omit<ProductDetail, 'price' | 'variants'> & {
  variants: Array<Omit<Variant, 'price'>>;
};

/**
 * The product as sold in `currency`, or undefined where it has no price in it. Every variant of a
 * product is priced in the same currencies.
 */
export function inCurrency(product: StoredProduct, currency: string): ProductDetail | undefined {
  const variants = product.variants.flatMap((variant) => {
    const price = variant.prices.find((candidate) => candidate.currency === currency);
    return price ? [{ ...variant, price }] : [];
  });
  const [first, ...others] = variants;
  if (!first) return undefined;
  const lowest = others.reduce(
    (low, variant) => (variant.price.amount < low.amount ? variant.price : low),
    first.price,
  );
  return { ...product, price: lowest, variants };
}

/**
 * The one price the release before price lists knew (the event's `price`, and the legacy price
 * columns still written so that it runs on this schema after a rollback): USD where the SKU has
 * it, else its first price.
 */
export function legacyPrice(prices: readonly Money[]): Money {
  const price = prices.find((candidate) => candidate.currency === 'USD') ?? prices[0];
  if (!price) throw new Error('a variant has at least one price');
  return price;
}

export const productSorts = ['relevance', 'newest', 'price_asc', 'price_desc'] as const;
export type ProductSort = (typeof productSorts)[number];

export type ListingFilters = {
  /** Prices are those of this currency; products not priced in it are left out. */
  currency: string;
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
  const words = searchWords(text);
  return words.length > 0 ? words.map((word) => `${word}:*`).join(' & ') : undefined;
}

/** The words of a shopper's search text, lower case, letters and digits only. */
export function searchWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** `"Oak Desk Lamp"` → `"oak-desk-lamp"`. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replaceAll(/[^a-z0-9]+/g, '-')
    .replaceAll(/^-|-$/g, '');
}
