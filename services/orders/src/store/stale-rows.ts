import type { Queryable } from '@bazaar/db/pool';

/** What the sweeper finishes: checkouts left pending, returns received and not yet refunded. */
const unfinished = {
  orders: 'pending',
  returns: 'received',
} as const;

/**
 * Claims up to `limit` rows of `table` left unfinished for longer than `graceSeconds` (a crash, a
 * neighbour away) for one sweep: their `updated_at` moves on, so another replica's sweep skips
 * them for the next grace period.
 */
export async function claimStale(
  db: Queryable,
  table: keyof typeof unfinished,
  graceSeconds: number,
  limit: number,
): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE ${table} SET updated_at = now()
      WHERE id IN (SELECT id FROM ${table}
                    WHERE status = $3 AND updated_at < now() - make_interval(secs => $1)
                    ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING id`,
    [graceSeconds, limit, unfinished[table]],
  );
  return rows.map((row) => row.id);
}
