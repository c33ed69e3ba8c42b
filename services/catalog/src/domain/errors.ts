import { DomainError, type ErrorCodeOf } from '@bazaar/service-kit/errors';

/** The problems catalog answers with beside the common ones, and the HTTP status of each. */
export const problemStatuses = {
  invalid_price_range: 400,
  unknown_category: 400,
  unknown_region: 400,
  shipping_unavailable: 422,
  country_not_in_region: 422,
  promotion_unknown: 422,
  promotion_not_started: 422,
  promotion_expired: 422,
  promotion_not_in_region: 422,
  promotion_below_minimum: 422,
  promotion_not_applicable: 422,
  promotion_used_up: 422,
  promotion_customer_limit: 422,
  invalid_promotion: 422,
  invalid_region: 422,
  code_taken: 409,
  invalid_product: 422,
  slug_taken: 409,
  sku_taken: 409,
} as const;

/** A rule of catalog's domain broken, by one of its codes. */
export class CatalogError extends DomainError<ErrorCodeOf<typeof problemStatuses>> {}

export type FieldError = { field: string; in: 'body'; message: string };

/** Throws the `code` problem (a 422) naming every field in `errors`, when there is any. */
export function refuseFields(
  code: 'invalid_product' | 'invalid_promotion' | 'invalid_region',
  errors: readonly FieldError[],
): void {
  if (errors.length === 0) return;
  throw new CatalogError(
    code,
    errors.map((error) => `${error.field} ${error.message}`).join('; '),
    { errors: [...errors] },
  );
}

/** The ISO 4217 codes this runtime knows: a price, an amount off or a region names one of them. */
export const isoCurrencies: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));
