/** What probes and scrapers call every few seconds: kept out of request logs and traces. */
export const probePaths: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);
