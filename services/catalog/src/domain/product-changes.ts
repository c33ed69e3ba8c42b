import type { Money } from '@bazaar/contracts/money';
import { type FieldError, isoCurrencies, refuseFields } from './errors.js';
import { legacyPrice, type ProductDetail, type StoredProduct } from './product.js';

export type VariantInput = { sku: string; options: Record<string, string>; prices: Money[] };

export type ProductInput = {
  slug: string;
  name: string;
  description: string;
  category: string;
  status: ProductDetail['status'];
  images: string[];
  variants: VariantInput[];
};

/**
 * Rules a schema cannot state: real ISO 4217 codes, each currency once in a price list, every
 * variant priced in the currency of every region (so that every product is sold everywhere the
 * shop sells) and all in the same currencies, each SKU once.
 */
export function assertValidVariants(
  variants: readonly VariantInput[],
  regionCurrencies: readonly string[],
): void {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const currenciesOf = (variant: VariantInput | undefined) =>
    (variant?.prices ?? [])
      .map((price) => price.currency)
      .sort()
      .join(',');
  variants.forEach((variant, index) => {
    variant.prices.forEach((price, position) => {
      if (!isoCurrencies.has(price.currency)) {
        errors.push({
          field: `variants.${index}.prices.${position}.currency`,
          in: 'body',
          message: 'is not an ISO 4217 currency',
        });
      }
    });
    if (new Set(variant.prices.map((price) => price.currency)).size !== variant.prices.length) {
      errors.push({
        field: `variants.${index}.prices`,
        in: 'body',
        message: 'names a currency twice',
      });
    } else if (currenciesOf(variant) !== currenciesOf(variants[0])) {
      errors.push({
        field: `variants.${index}.prices`,
        in: 'body',
        message: 'must be in the currencies of the first variant',
      });
    } else {
      const missing = regionCurrencies.filter(
        (currency) => !variant.prices.some((price) => price.currency === currency),
      );
      if (missing.length > 0) {
        errors.push({
          field: `variants.${index}.prices`,
          in: 'body',
          message: `needs a price in ${missing.join(', ')} (the shop sells in them)`,
        });
      }
    }
    if (seen.has(variant.sku)) {
      errors.push({ field: `variants.${index}.sku`, in: 'body', message: 'appears twice' });
    }
    seen.add(variant.sku);
  });
  refuseFields('invalid_product', errors);
}

/**
 * `catalog.product.updated.v1`: every SKU the product had or has, with its price and whether it
 * can be bought, so that carts drop or re-price their lines. `price` is the one the event had
 * before there were price lists (`legacyPrice`); `prices` is the whole list.
 */
export function productUpdated(before: StoredProduct | undefined, after: StoredProduct) {
  const current = new Set(after.variants.map((variant) => variant.sku));
  const removed = (before?.variants ?? []).filter((variant) => !current.has(variant.sku));
  return {
    type: 'catalog.product.updated.v1' as const,
    subject: after.id,
    data: {
      productId: after.id,
      skus: [
        ...after.variants.map((variant) => ({
          ...pricesOf(variant),
          active: after.status === 'active',
        })),
        ...removed.map((variant) => ({ ...pricesOf(variant), active: false })),
      ],
    },
  };
}

function pricesOf(variant: StoredProduct['variants'][number]) {
  return { sku: variant.sku, price: legacyPrice(variant.prices), prices: variant.prices };
}
