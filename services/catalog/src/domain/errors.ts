import { quoteRefusalStatuses } from '@bazaar/contracts/internal-api';
import {
  DomainError,
  type ErrorCodeOf,
  refuseFields as refuseFieldsWith,
} from '@bazaar/service-kit/errors';

/** The problems catalog answers with beside the common ones, and the HTTP status of each. */
export const problemStatuses = {
  invalid_price_range: 400,
  unknown_category: 400,
  invalid_page: 400,
  ...quoteRefusalStatuses,
  invalid_promotion: 422,
  invalid_region: 422,
  code_taken: 409,
  invalid_product: 422,
  invalid_image: 422,
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
  refuseFieldsWith(errors, (detail, details) => new CatalogError(code, detail, details));
}

/** The ISO 4217 codes this runtime knows: a price, an amount off or a region names one of them. */
export const isoCurrencies: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));
