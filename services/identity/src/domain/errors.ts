import { DomainError, type ErrorCodeOf } from '@bazaar/service-kit/errors';

/** The problems identity answers with beside the common ones, and the HTTP status of each. */
export const problemStatuses = {
  weak_password: 422,
  invalid_verification_token: 400,
  email_not_verified: 403,
  invalid_credentials: 401,
  invalid_refresh_token: 401,
  invalid_client: 401,
  too_many_attempts: 429,
} as const;

/** A rule of identity's domain broken, by one of its codes. */
export class IdentityError extends DomainError<ErrorCodeOf<typeof problemStatuses>> {}
