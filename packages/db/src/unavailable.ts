/**
 * Connection failures (refused, reset, timed out, no route or no name: a partition) and
 * PostgreSQL's shutdown and overload states.
 */
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08006',
]);

/**
 * Whether an error says a database (or another server) is out of reach: restarting, failing over,
 * out of connections, cut off. Not the request's fault: a client is answered 503 and may retry,
 * a consumer waits it out; the pool reconnects by itself once it is back.
 */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as Error & { code?: unknown };
  if (typeof code === 'string' && unavailableCodes.has(code)) return true;
  return /^(Connection terminated|timeout exceeded when trying to connect|Query read timeout)/.test(
    error.message,
  );
}
