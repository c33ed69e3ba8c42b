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
 * Counts one failure for `key` in a window of `windowSeconds` (the count starts again once a
 * window has passed since its first failure). From the `threshold`-th failure on, the key waits:
 * `firstDelaySeconds`, doubled at each further failure, at most `maxDelaySeconds`.
 */
export async function recordFailure(
  db: Queryable,
  key: string,
  policy: {
    threshold: number;
    firstDelaySeconds: number;
    maxDelaySeconds: number;
    windowSeconds: number;
  },
) {
  // The failures counted with this one: the window's, or a new window's first.
  const counted = `(CASE WHEN f.window_started_at > now() - make_interval(secs => $5)
                         THEN f.failures + 1 ELSE 1 END)`;
  const delay = (failures: string) =>
    `now() + make_interval(secs => least($4::float8, $3::float8 * power(2, least(${failures} - $2, 30))))`;
  // The update arm works on the locked, latest row: concurrent failures all count.
  await db.query(
    `INSERT INTO login_failures AS f (key, failures, window_started_at, locked_until)
     VALUES ($1, 1, now(), CASE WHEN $2 <= 1 THEN ${delay('1')} END)
     ON CONFLICT (key) DO UPDATE SET
       failures = ${counted},
       window_started_at = CASE WHEN f.window_started_at > now() - make_interval(secs => $5)
                                THEN f.window_started_at ELSE now() END,
       locked_until = CASE WHEN ${counted} >= $2 THEN ${delay(counted)} ELSE f.locked_until END`,
    [key, policy.threshold, policy.firstDelaySeconds, policy.maxDelaySeconds, policy.windowSeconds],
  );
}

export async function clearFailures(db: Queryable, key: string) {
  await db.query('DELETE FROM login_failures WHERE key = $1', [key]);
}
