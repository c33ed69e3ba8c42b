export type FieldError = { field: string; in: string; message: string };

/** An API answer that was not a success: what the shopper is told, and the fields to mark. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldErrors: FieldError[] = [],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const fallbacks: Record<number, string> = {
  401: 'Please sign in again.',
  403: 'You are not allowed to do that.',
  404: 'Not found.',
  429: 'Too many requests; please wait a moment.',
};

/**
 * Reads an RFC 9457 problem (or whatever else came back) into an ApiError whose message is the
 * problem's `detail`, so a shopper always reads a sentence, never "undefined".
 */
export function toApiError(status: number, body: unknown): ApiError {
  const problem = (typeof body === 'object' && body !== null ? body : {}) as Record<
    string,
    unknown
  >;
  const detail = typeof problem.detail === 'string' && problem.detail ? problem.detail : undefined;
  const message =
    detail ??
    fallbacks[status] ??
    (status >= 500
      ? 'The shop is having trouble; please try again.'
      : `Request failed (${status}).`);
  const errors = Array.isArray(problem.errors) ? (problem.errors as FieldError[]) : [];
  const code = typeof problem.code === 'string' ? problem.code : `http_${status}`;
  return new ApiError(status, code, message, errors, problem);
}

/** Field errors keyed by field path (`shippingAddress.country`), for forms to show beside inputs. */
export function fieldMessages(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  return Object.fromEntries(error.fieldErrors.map((item) => [item.field, item.message]));
}

/** What a shopper can do after a checkout that did not go through, by the problem's code. */
const nextSteps: Record<string, string> = {
  card_declined:
    'Nothing was charged. Try another card, or ask your bank why it declined this one.',
  insufficient_funds: 'Nothing was charged. Try another card.',
  invalid_card: "Check the card's number, expiry date and security code against your card.",
  out_of_stock:
    'Nothing was charged. Lower the quantity in your cart to what is left, or remove the item.',
  sku_unavailable: 'Nothing was charged. Remove the item from your cart to order the rest.',
  reservation_expired: 'Nothing was charged. Place the order again.',
  checkout_interrupted: 'Nothing was charged. Place the order again.',
  promotion_used_up: 'Nothing was charged. Remove the code from your cart to order without it.',
};

export function nextStepAfter(error: unknown): string | undefined {
  return error instanceof ApiError ? nextSteps[error.code] : undefined;
}
