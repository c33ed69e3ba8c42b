import { setTimeout as sleep } from 'node:timers/promises';
import { urlToHttpOptions } from 'node:url';
import { DomainError } from './errors.js';
import { connectionPool, httpCall } from './http-client.js';
import { currentRequestId } from './request-context.js';
import type { ServiceTokenSource } from './service-token.js';
import { spreadingLookup } from './spreading-lookup.js';

export type ServiceResponse<T> = { status: number; body: T };

export type ServiceClient = {
  /**
   * Calls another service's /internal route with a service token and the id of the request being
   * handled (the trace context travels in `traceparent` when tracing is on). Answers of any status
   * come back for the caller to read; no answer in time (or a 5xx) is retried when `idempotent`,
   * then becomes `503 upstream_unavailable`. All attempts together stay within `timeoutMs`, so the
   * caller's own caller (the gateway, with a longer timeout) hears a 503 rather than giving up.
   */
  call: <T>(request: {
    method: 'GET' | 'POST';
    path: string;
    body?: unknown;
    idempotent: boolean;
  }) => Promise<ServiceResponse<T>>;
};

export function serviceClient(options: {
  /** The callee, as named in errors and logs. */
  name: string;
  baseUrl: string;
  token: ServiceTokenSource;
  /** How long one call may take, all its attempts included (5 s). */
  timeoutMs?: number;
  /** Attempts for idempotent calls (default 3). */
  attempts?: number;
}): ServiceClient {
  const timeoutMs = options.timeoutMs ?? 5000;
  const lookup = spreadingLookup();
  const connect = () => connectionPool({ lookup, maxSockets: 64, connectTimeoutMs: 1000 });
  let pool = connect();
  const { hostname, port } = urlToHttpOptions(new URL(options.baseUrl));
  const attempt = async <T>(request: Parameters<ServiceClient['call']>[0], deadline: number) => {
    const requestId = currentRequestId();
    const { status, text } = await httpCall(
      { hostname, port, path: request.path },
      {
        method: request.method,
        headers: {
          authorization: `Bearer ${await options.token()}`,
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(requestId ? { 'x-request-id': requestId } : {}),
        },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        timeoutMs: Math.max(deadline - Date.now(), 1),
      },
      pool,
    );
    return { status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  /**
   * An answer that did not come on a kept-alive connection says the callee may be cut off (a
   * partition resets nothing): every other pooled connection would wait as long. They are let go
   * (what is in flight on them finishes) and the next attempt connects afresh, which fails fast
   * when the callee is out of reach.
   */
  const reconnect = () => {
    pool.retire();
    pool = connect();
  };

  return {
    call: async (request) => {
      const attempts = request.idempotent ? (options.attempts ?? 3) : 1;
      const deadline = Date.now() + timeoutMs;
      for (let index = 1; index <= attempts && Date.now() < deadline; index += 1) {
        try {
          const response = await attempt<never>(request, deadline);
          if (response.status < 500) return response;
        } catch (error) {
          // No answer in time, or no connection: the same as a 5xx. The next attempt connects to
          // another replica than one that refused.
          lookup.avoid(error);
          if (error instanceof Error && error.name === 'TimeoutError') reconnect();
        }
        // The backoff never outlasts the budget: past it, the caller hears 503 at once.
        const left = deadline - Date.now();
        if (index < attempts && left > 0) await sleep(Math.min(100 * 2 ** (index - 1), left));
      }
      // The cause stays out of the problem: a client learns which service, not its internals.
      throw new DomainError('upstream_unavailable', `${options.name} is not answering`, {
        retryAfterSeconds: 2,
      });
    },
  };
}
