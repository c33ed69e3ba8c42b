import type { Queryable } from '@bazaar/db/pool';

export type StoredRefreshToken = {
  familyId: string;
  userId: string;
  expiresAt: Date;
  usedAt: Date | null;
  familyRevokedAt: Date | null;
};

export async function insertFamily(db: Queryable, family: { id: string; userId: string }) {
  await db.query('INSERT INTO refresh_token_families (id, user_id) VALUES ($1, $2)', [
    family.id,
    family.userId,
  ]);
}

export async function insertRefreshToken(
  db: Queryable,
  token: { hash: Buffer; familyId: string; expiresAt: Date },
) {
  await db.query(
    'INSERT INTO refresh_tokens (token_hash, family_id, expires_at) VALUES ($1, $2, $3)',
    [token.hash, token.familyId, token.expiresAt],
  );
}

/** Reads a token and locks it, so two concurrent refreshes with one token cannot both succeed. */
export async function lockRefreshToken(
  db: Queryable,
  hash: Buffer,
): Promise<StoredRefreshToken | undefined> {
  const { rows } = await db.query<{
    family_id: string;
    user_id: string;
    expires_at: Date;
    used_at: Date | null;
    revoked_at: Date | null;
  }>(
    `SELECT t.family_id, f.user_id, t.expires_at, t.used_at, f.revoked_at
       FROM refresh_tokens t JOIN refresh_token_families f ON f.id = t.family_id
      WHERE t.token_hash = $1
      FOR UPDATE OF t`,
    [hash],
  );
  const row = rows[0];
  return (
    row && {
      familyId: row.family_id,
      userId: row.user_id,
      expiresAt: row.expires_at,
      usedAt: row.used_at,
      familyRevokedAt: row.revoked_at,
    }
  );
}

export async function markRefreshTokenUsed(db: Queryable, hash: Buffer) {
  await db.query('UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1', [hash]);
}

/**
 * Ends a sign-in: its refresh tokens stop working, and its access tokens are listed as revoked
 * until the last of them expires (`accessTokenTtlSeconds` from now), for every verifier to refuse.
 */
export async function revokeFamily(
  db: Queryable,
  familyId: string,
  reason: string,
  accessTokenTtlSeconds: number,
) {
  await db.query(
    `WITH revoked AS (
       UPDATE refresh_token_families SET revoked_at = now(), revoked_reason = $2
        WHERE id = $1 AND revoked_at IS NULL RETURNING id),
     listed AS (
       INSERT INTO revoked_sessions (session_id, expires_at)
       SELECT id, now() + make_interval(secs => $3) FROM revoked
       ON CONFLICT (session_id) DO NOTHING)
     DELETE FROM revoked_sessions WHERE expires_at < now()`,
    [familyId, reason, accessTokenTtlSeconds],
  );
}

/**
 * Sessions revoked since `since` (with a few seconds' overlap, so a revocation whose transaction
 * committed late is not skipped) whose access tokens may still live; `asOf` is the next `since`.
 */
export async function selectRevokedSessions(
  db: Queryable,
  since: Date | undefined,
): Promise<{ sessions: Array<{ sessionId: string; expiresAt: string }>; asOf: string }> {
  const { rows } = await db.query<{
    sessions: Array<{ sessionId: string; expiresAt: string }>;
    as_of: Date;
  }>(
    `SELECT now() AS as_of,
            coalesce(jsonb_agg(jsonb_build_object('sessionId', session_id, 'expiresAt', expires_at)
                               ORDER BY revoked_at), '[]') AS sessions
       FROM revoked_sessions
      WHERE expires_at > now()
        AND ($1::timestamptz IS NULL OR revoked_at > $1::timestamptz - interval '10 seconds')`,
    [since ?? null],
  );
  const [row] = rows;
  return { sessions: row?.sessions ?? [], asOf: (row?.as_of ?? new Date()).toISOString() };
}
