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

export async function revokeFamily(db: Queryable, familyId: string, reason: string) {
  await db.query(
    `UPDATE refresh_token_families SET revoked_at = now(), revoked_reason = $2
      WHERE id = $1 AND revoked_at IS NULL`,
    [familyId, reason],
  );
}
