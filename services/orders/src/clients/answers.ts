import type { ServiceResponse } from '@bazaar/service-kit/service-client';

/** A neighbour's problem+json answer, as far as orders reads it. */
export type Problem = { code: string; detail: string; [extension: string]: unknown };

/** The body of an answer with one of the `ok` statuses; any other is a fault of that neighbour. */
export function body<T>(response: ServiceResponse<T>, service: string, ...ok: number[]): T {
  if (!ok.includes(response.status)) {
    throw new Error(`${service} answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body;
}
