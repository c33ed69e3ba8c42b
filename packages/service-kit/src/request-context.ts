import { AsyncLocalStorage } from 'node:async_hooks';

const requestIds = new AsyncLocalStorage<string>();

/** Runs the rest of a request's handling with its id at hand, for the calls it makes to others. */
export function withRequestId(requestId: string, next: () => void): void {
  requestIds.run(requestId, next);
}

/** The id of the request being handled, so another service logs its part under the same id. */
export function currentRequestId(): string | undefined {
  return requestIds.getStore();
}
