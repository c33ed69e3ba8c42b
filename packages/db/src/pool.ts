import { createHash } from 'node:crypto';
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

/**
 * Connections a service's pool opens at most, unless told otherwise. Each statement is one round
 * trip of a millisecond or less: under 50 buyers at most 8 ran at once across the shop, while each
 * idle connection kept a PostgreSQL backend resident (10 a pool: 270 MB of PostgreSQL under the
 * checkout load; 5: 195 MB, as many checkouts a second).
 */
export const defaultPoolSize = 5;

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

/**
 * Every query of `client`, pool.query's included, counted on its way out; a parameterized one
 * (text and values) prepared under its name (`preparedName`).
 */
function countStatements(client: pg.PoolClient, counts: StatementCounts): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const counting = (...args: unknown[]) => {
    const [first, values, callback] = args;
    const text = typeof first === 'string' ? first : (first as { text?: unknown } | null)?.text;
    counts.statements += 1;
    if (text === 'BEGIN') counts.transactions += 1;
    if (typeof first !== 'string' || !Array.isArray(values)) return query(...args);
    const name = preparedName(first);
    if (!name) return query(...args);
    const named = { name, text: first, values };
    // pool.query passes a callback; a caller holding a client awaits the promise.
    if (typeof callback === 'function') {
      return query(named, (error: unknown, result: unknown) => {
        if (error) unprepareIfRowsChanged(first, error);
        callback(error, result);
      });
    }
    return (query(named) as Promise<unknown>).catch((error: unknown) => {
      unprepareIfRowsChanged(first, error);
      throw error;
    });
  };
  client.query = counting as typeof client.query;
}

/** The name each text is prepared under; undefined for a text that runs unprepared. */
const preparedNames = new Map<string, string | undefined>();
/** Texts a process names at most (PgBouncer keeps as many a connection); the rest run unprepared. */
const maxPrepared = 200;

/**
 * The name a parameterized statement is prepared under, from its text: PostgreSQL then parses and
 * plans each of a service's statements once per connection rather than on every call (a third of
 * its CPU on the checkout path, docs/benchmarks.md), and PgBouncer's `max_prepared_statements`
 * prepares it again on whichever server connection runs it. Past `maxPrepared` texts (queries
 * built per request), none. A statement whose rows a migration changed (`SELECT *` from a table
 * that gained a column) fails once where it is prepared and runs unprepared from then on, so a
 * statement returns the columns it names.
 */
function preparedName(text: string): string | undefined {
  if (preparedNames.has(text)) return preparedNames.get(text);
  if (preparedNames.size >= maxPrepared) return undefined;
  const name = `bazaar_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
  preparedNames.set(text, name);
  return name;
}

/**
 * Runs `text` unprepared from now on when `error` is PostgreSQL's refusal of a prepared statement
 * whose rows a schema change altered.
 */
function unprepareIfRowsChanged(text: string, error: unknown): void {
  if (
    (error as { code?: unknown } | null)?.code === '0A000' &&
    /cached plan must not change result type/.test(String((error as Error).message))
  ) {
    preparedNames.set(text, undefined);
  }
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
