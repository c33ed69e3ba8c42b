import { DomainError, type ErrorCodeOf } from '@bazaar/service-kit/errors';

/** The problems gateway answers with beside the common ones, and the HTTP status of each. */
export const problemStatuses = {
  length_required: 411,
  body_too_large: 413,
} as const;

/** A rule of gateway's domain broken, by one of its codes. */
export class GatewayError extends DomainError<ErrorCodeOf<typeof problemStatuses>> {}
