import type { Queryable } from '@bazaar/db/pool';

/** A confirmation token for `userId`'s address, kept as its hash; earlier unused ones die. */
export async function replaceVerification(
  db: Queryable,
  verification: { tokenHash: Buffer; userId: string; ttlSeconds: number },
): Promise<void> {
  await db.query(
    `WITH dropped AS (DELETE FROM email_verifications WHERE user_id = $2 AND used_at IS NULL)
     INSERT INTO email_verifications (token_hash, user_id, expires_at)
     VALUES ($1, $2, now() + make_interval(secs => $3))`,
    [verification.tokenHash, verification.userId, verification.ttlSeconds],
  );
}

/** Spends a token that is neither used nor expired; the user it confirms, or undefined. */
export async function spendVerification(
  db: Queryable,
  tokenHash: Buffer,
): Promise<string | undefined> {
  const { rows } = await db.query<{ user_id: string }>(
    `UPDATE email_verifications SET used_at = now()
      WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
      RETURNING user_id`,
    [tokenHash],
  );
  return rows[0]?.user_id;
}
