import type { Queryable } from '@bazaar/db/pool';

/** Seconds until the most distant lock among `keys` ends; 0 when none is locked. */
export async function secondsLocked(db: Queryable, keys: string[]): Promise<number> {
  const { rows } = await db.query<{ seconds: number | null }>(
    `SELECT ceil(extract(epoch FROM max(locked_until) - now()))::int AS seconds
       FROM login_failures WHERE key = ANY($1) AND locked_until > now()`,
    [keys],
  );
  return rows[0]?.seconds ?? 0;
}

/**
 * Counts one failure for `key` in a window of `windowSeconds`; at `maxFailures` the key is locked
 * for `windowSeconds`.
 */
export async function recordFailure(
  db: Queryable,
  key: string,
  limits: { maxFailures: number; windowSeconds: number },
) {
  // The update arm works on the locked, latest row: concurrent failures all count.
  await db.query(
    `INSERT INTO login_failures AS f (key, failures, window_started_at, locked_until)
     VALUES ($1, 1, now(), CASE WHEN $2 <= 1 THEN now() + make_interval(secs => $3) END)
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN f.window_started_at > now() - make_interval(secs => $3)
                       THEN f.failures + 1 ELSE 1 END,
       window_started_at = CASE WHEN f.window_started_at > now() - make_interval(secs => $3)
                                THEN f.window_started_at ELSE now() END,
       locked_until = CASE WHEN (CASE WHEN f.window_started_at > now() - make_interval(secs => $3)
                                      THEN f.failures + 1 ELSE 1 END) >= $2
                           THEN now() + make_interval(secs => $3) ELSE f.locked_until END`,
    [key, limits.maxFailures, limits.windowSeconds],
  );
}

export async function clearFailures(db: Queryable, key: string) {
  await db.query('DELETE FROM login_failures WHERE key = $1', [key]);
}
