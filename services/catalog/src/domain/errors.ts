import { DomainError, type ErrorCodeOf } from '@bazaar/service-kit/errors';

/** The problems catalog answers with beside the common ones, and the HTTP status of each. */
export const problemStatuses = {
  invalid_price_range: 400,
  unknown_category: 400,
  invalid_product: 422,
  slug_taken: 409,
  sku_taken: 409,
} as const;

/** A rule of catalog's domain broken, by one of its codes. */
export class CatalogError extends DomainError<ErrorCodeOf<typeof problemStatuses>> {}
