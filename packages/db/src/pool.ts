import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
/** What store functions take first: the pool, or the client of an open transaction. */
export type Queryable = pg.Pool | pg.PoolClient;

export type PoolOptions = {
  /** Shown in `pg_stat_activity`, so an operator sees which service holds a connection. */
  applicationName: string;
  max?: number;
  /** A client idle in the pool lost its connection (server restart, failover): log it, don't crash. */
  onIdleClientError: (error: Error) => void;
};

export function createPool(url: string, options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    application_name: options.applicationName,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', options.onIdleClientError);
  // A client that is checked out when its connection drops (a LISTEN held open, a transaction
  // waiting on another service, a server restart) must not crash the process with an unhandled
  // 'error': the query it runs next fails where it is made, and its release drops it from the pool.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
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
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
