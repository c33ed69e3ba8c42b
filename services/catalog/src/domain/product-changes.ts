import type { Money } from '@bazaar/contracts/money';
import { CatalogError } from './errors.js';
import type { ProductDetail } from './product.js';

export type VariantInput = { sku: string; options: Record<string, string>; price: Money };

export type ProductInput = {
  slug: string;
  name: string;
  description: string;
  category: string;
  status: ProductDetail['status'];
  images: string[];
  variants: VariantInput[];
};

const isoCurrencies = new Set(Intl.supportedValuesOf('currency'));

/** Rules a schema cannot state: real ISO 4217 codes, one currency per product, each SKU once. */
export function assertValidVariants(variants: readonly VariantInput[]): void {
  const errors: Array<{ field: string; in: 'body'; message: string }> = [];
  const seen = new Set<string>();
  variants.forEach((variant, index) => {
    if (!isoCurrencies.has(variant.price.currency)) {
      errors.push({
        field: `variants.${index}.price.currency`,
        in: 'body',
        message: 'is not an ISO 4217 currency',
      });
    }
    if (variant.price.currency !== variants[0]?.price.currency) {
      errors.push({
        field: `variants.${index}.price.currency`,
        in: 'body',
        message: 'must match the first variant',
      });
    }
    if (seen.has(variant.sku)) {
      errors.push({ field: `variants.${index}.sku`, in: 'body', message: 'appears twice' });
    }
    seen.add(variant.sku);
  });
  if (errors.length > 0) {
    throw new CatalogError(
      'invalid_product',
      errors.map((error) => `${error.field} ${error.message}`).join('; '),
      {
        errors,
      },
    );
  }
}

/**
 * `catalog.product.updated.v1`: every SKU the product had or has, with its price and whether it
 * can be bought, so that carts drop or re-price their lines.
 */
export function productUpdated(before: ProductDetail | undefined, after: ProductDetail) {
  const current = new Set(after.variants.map((variant) => variant.sku));
  const removed = (before?.variants ?? []).filter((variant) => !current.has(variant.sku));
  return {
    type: 'catalog.product.updated.v1' as const,
    subject: after.id,
    data: {
      productId: after.id,
      skus: [
        ...after.variants.map((variant) => ({
          sku: variant.sku,
          price: variant.price,
          active: after.status === 'active',
        })),
        ...removed.map((variant) => ({ sku: variant.sku, price: variant.price, active: false })),
      ],
    },
  };
}
