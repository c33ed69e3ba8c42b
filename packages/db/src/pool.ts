import pg from 'pg';
import { type StatementCounts, statementCountsOf } from './statement-counts.js';
import { isUnavailable } from './unavailable.js';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
/** What store functions take first: the pool, or the client of an open transaction. */
export type Queryable = pg.Pool | pg.PoolClient;

export type PoolOptions = {
  /** Shown in `pg_stat_activity`, so an operator sees which service holds a connection. */
  applicationName: string;
  max?: number;
  /**
   * How long a query may go unanswered (5 s; 0 for none, as migrations need). A database cut off
   * by a partition sends no reset: without a limit a query waits for TCP to give up, minutes.
   */
  queryTimeoutMs?: number;
  /** A client idle in the pool lost its connection (server restart, failover): log it, don't crash. */
  onIdleClientError: (error: Error) => void;
};

/** Connections a service's pool opens at most, unless told otherwise. */
export const defaultPoolSize = 10;

export function createPool(url: string, options: PoolOptions): pg.Pool {
  const queryTimeoutMs = options.queryTimeoutMs ?? 5000;
  const pool = new pg.Pool({
    connectionString: url,
    application_name: options.applicationName,
    max: options.max ?? defaultPoolSize,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    ...(queryTimeoutMs > 0 ? { query_timeout: queryTimeoutMs } : {}),
    // An idle connection whose peer went silent is found by the kernel, not by the next query.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  pool.on('error', options.onIdleClientError);
  // A client that is checked out when its connection drops (a LISTEN held open, a transaction
  // waiting on another service, a server restart) must not crash the process with an unhandled
  // 'error': the query it runs next fails where it is made, and its release drops it from the pool.
  pool.on('connect', (client) => client.on('error', () => {}));
  const counts = statementCountsOf(options.applicationName);
  pool.on('connect', (client) => countStatements(client, counts));
  return pool;
}

/** Every query of `client`, pool.query's included, counted on its way out. */
function countStatements(client: pg.PoolClient, counts: StatementCounts): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const counting = (...args: unknown[]) => {
    const [first] = args;
    const text = typeof first === 'string' ? first : (first as { text?: unknown } | null)?.text;
    counts.statements += 1;
    if (text === 'BEGIN') counts.transactions += 1;
    return query(...args);
  };
  client.query = counting as typeof client.query;
}

/**
 * Runs `work` in one transaction: committed when it resolves, rolled back when it throws.
 * @example await withTransaction(pool, async (trx) => { await insertOrder(trx, order); })
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  work: (trx: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  // A connection that failed (timed out, dropped, its server gone) leaves the pool instead of
  // serving the next caller; a ROLLBACK down it would only wait (a silent one) or fail.
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    if (isUnavailable(error)) {
      broken = error as Error;
    } else {
      await client.query('ROLLBACK').catch((failure: Error) => {
        broken = failure;
      });
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
