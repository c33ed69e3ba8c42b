/** What a process's pools have sent PostgreSQL, by the pool's application name. */
export type StatementCounts = { statements: number; transactions: number };

const sent = new Map<string, StatementCounts>();

/**
 * The statements each of this process's pools has sent (whatever their kind: a query, BEGIN,
 * COMMIT, LISTEN), and the transactions it opened with BEGIN; for the service's metrics, so that
 * a checkout's cost in round trips can be counted rather than timed. Apart from the pool, so that
 * a process without a database reads it without loading the driver.
 */
export function statementsSent(): ReadonlyMap<string, Readonly<StatementCounts>> {
  return sent;
}

/** The counts of the pool named `applicationName`, shared by every pool of that name. */
export function statementCountsOf(applicationName: string): StatementCounts {
  const counts = sent.get(applicationName) ?? { statements: 0, transactions: 0 };
  sent.set(applicationName, counts);
  return counts;
}
