import { quoteRefusalStatuses } from '@bazaar/contracts/internal-api';
import { DomainError, type ErrorCodeOf } from '@bazaar/service-kit/errors';

/** The problems orders answers with beside the common ones, and the HTTP status of each. */
export const problemStatuses = {
  cart_empty: 422,
  sku_unavailable: 422,
  idempotency_key_reused: 422,
  checkout_in_progress: 409,
  cart_in_checkout: 409,
  checkout_interrupted: 409,
  invalid_transition: 409,
  not_returnable: 409,
  return_window_closed: 409,
  out_of_stock: 409,
  unknown_sku: 409,
  reservation_expired: 409,
  promotion_hold_expired: 409,
  ...quoteRefusalStatuses,
  card_declined: 402,
  insufficient_funds: 402,
  invalid_card: 400,
} as const;

/** A rule of orders' domain broken, by one of its codes. */
export class OrdersError extends DomainError<ErrorCodeOf<typeof problemStatuses>> {}
