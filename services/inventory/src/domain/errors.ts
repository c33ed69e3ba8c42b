import { DomainError, type ErrorCodeOf } from '@bazaar/service-kit/errors';

/** The problems inventory answers with beside the common ones, and the HTTP status of each. */
export const problemStatuses = {
  unknown_sku: 404,
  out_of_stock: 409,
  reservation_not_held: 409,
  reservation_not_committed: 409,
  below_reserved: 409,
} as const;

/** A rule of inventory's domain broken, by one of its codes. */
export class InventoryError extends DomainError<ErrorCodeOf<typeof problemStatuses>> {}
