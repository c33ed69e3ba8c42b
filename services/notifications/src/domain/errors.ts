import { DomainError, type ErrorCodeOf } from '@bazaar/service-kit/errors';

/** The problems notifications answers with beside the common ones, and the HTTP status of each. */
export const problemStatuses = {
  invalid_webhook: 422,
} as const;

/** A rule of notifications' domain broken, by one of its codes. */
export class NotificationsError extends DomainError<ErrorCodeOf<typeof problemStatuses>> {}
