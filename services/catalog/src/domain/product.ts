/** An amount in minor units (cents) and its ISO 4217 currency. */
export type Money = { amount: number; currency: string };

export type ProductSummary = {
  id: string;
  slug: string;
  name: string;
  description: string;
  category: { slug: string; name: string };
  images: string[];
  /** The lowest price among the product's variants. */
  price: Money;
  variantCount: number;
};
