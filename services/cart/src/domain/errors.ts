import { quoteRefusalStatuses } from '@bazaar/contracts/internal-api';
import { DomainError, type ErrorCodeOf } from '@bazaar/service-kit/errors';

/** The problems cart answers with beside the common ones, and the HTTP status of each. */
export const problemStatuses = {
  sku_unavailable: 422,
  quantity_limit: 422,
  cart_in_checkout: 409,
  cart_empty: 422,
  ...quoteRefusalStatuses,
} as const;

/** A rule of cart's domain broken, by one of its codes. */
export class CartError extends DomainError<ErrorCodeOf<typeof problemStatuses>> {}
