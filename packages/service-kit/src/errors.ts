/**
 * A rule of the domain was broken. It knows nothing of HTTP: the service maps each code to a
 * status once, when it builds its app.
 * @example throw new DomainError('out_of_stock', 'Not enough stock', { skus: ['MUG-1'] })
 */
export class DomainError<Code extends string = string> extends Error {
  override name = 'DomainError';

  constructor(
    readonly code: Code,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Codes every service shares; a service adds its own with their statuses. */
export const commonProblemStatuses = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_request: 400,
  unprocessable: 422,
  /** A list cursor this API did not hand out (`@bazaar/service-kit/keyset-cursor`). */
  invalid_cursor: 400,
  /** A CSV file with bad cells, each named by line and column (`@bazaar/service-kit/csv`). */
  invalid_import: 422,
  /** A service this one needs did not answer in time; the client may try again. */
  upstream_unavailable: 503,
} as const;

/**
 * The codes a service may throw: its own (`statuses`, each with its HTTP status) and the common
 * ones. A service's error class takes these, so a mistyped code fails the typecheck instead of
 * answering 500.
 */
export type ErrorCodeOf<Statuses> =
  | Extract<keyof Statuses, string>
  | keyof typeof commonProblemStatuses;

export type FieldError = { field: string; in: string; message: string };

/**
 * Throws the problem `refusal` makes, its detail naming every field in `errors`, when there is
 * any: a 4xx a client can act on for each field at once.
 */
export function refuseFields(
  errors: readonly FieldError[],
  refusal: (detail: string, details: { errors: FieldError[] }) => DomainError,
): void {
  if (errors.length === 0) return;
  throw refusal(errors.map((error) => `${error.field} ${error.message}`).join('; '), {
    errors: [...errors],
  });
}

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId: string;
  errors?: FieldError[];
  [extension: string]: unknown;
};

export function problemType(code: string): string {
  return `urn:bazaar:problem:${code}`;
}
