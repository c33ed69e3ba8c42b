import { DomainError, type ErrorCodeOf } from '@bazaar/service-kit/errors';

/** The problems payments answers with beside the common ones, and the HTTP status of each. */
export const problemStatuses = {
  card_declined: 402,
  insufficient_funds: 402,
  invalid_card: 400,
  invalid_payment_state: 409,
  invalid_signature: 400,
  order_closed: 409,
  webhook_replayed: 400,
} as const;

/** A rule of payments' domain broken, by one of its codes. */
export class PaymentsError extends DomainError<ErrorCodeOf<typeof problemStatuses>> {}
