import type { Queryable } from '@bazaar/db/pool';
import { type KeysetPosition, keysetTimestamp } from '@bazaar/service-kit/keyset-cursor';
import type { User, UserRole } from '../domain/user.js';

type UserRow = {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  created_at: Date;
  password_hash: string;
  email_verified_at: Date | null;
  created_at_key: string;
};

const columns = `id, email, name, role, created_at, password_hash, email_verified_at, ${keysetTimestamp('created_at')} AS created_at_key`;

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    createdAt: row.created_at.toISOString(),
  };
}

/** An account whose address is known good from the start (the admin made at first start). */
export async function insertVerifiedUser(
  db: Queryable,
  user: { id: string; email: string; name: string; role: UserRole; passwordHash: string },
): Promise<User> {
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (id, email, name, role, password_hash, email_verified_at)
     VALUES ($1, $2, $3, $4, $5, now())
     RETURNING ${columns}`,
    [user.id, user.email, user.name, user.role, user.passwordHash],
  );
  return toUser(rows[0] as UserRow);
}

/**
 * A customer account waiting for its address to be confirmed. An address already waiting is taken
 * over (name and password replaced): whoever can read its mail decides, so nobody can squat an
 * address by signing up first. Undefined when the address has a confirmed account.
 */
export async function upsertUnverifiedUser(
  db: Queryable,
  user: { id: string; email: string; name: string; passwordHash: string },
): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO users (id, email, name, role, password_hash) VALUES ($1, $2, $3, 'customer', $4)
     ON CONFLICT (email) DO UPDATE SET name = excluded.name, password_hash = excluded.password_hash,
                                       updated_at = now()
      WHERE users.email_verified_at IS NULL
     RETURNING id`,
    [user.id, user.email, user.name, user.passwordHash],
  );
  return rows[0]?.id;
}

/** Opens the account; `newlyVerified` when it was waiting until now. */
export async function markEmailVerified(
  db: Queryable,
  id: string,
): Promise<(User & { newlyVerified: boolean }) | undefined> {
  const { rows } = await db.query<UserRow & { newly: boolean }>(
    `WITH before AS (SELECT email_verified_at IS NULL AS newly FROM users WHERE id = $1)
     UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1
     RETURNING ${columns}, (SELECT newly FROM before)`,
    [id],
  );
  const row = rows[0];
  return row && { ...toUser(row), newlyVerified: row.newly };
}

/** The user and their password hash, for checking a sign-in. */
export async function findCredentials(
  db: Queryable,
  email: string,
): Promise<{ user: User; passwordHash: string; verified: boolean } | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${columns} FROM users WHERE email = $1`, [
    email,
  ]);
  const row = rows[0];
  return (
    row && {
      user: toUser(row),
      passwordHash: row.password_hash,
      verified: row.email_verified_at !== null,
    }
  );
}

export async function findUser(db: Queryable, id: string): Promise<User | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${columns} FROM users WHERE id = $1`, [id]);
  return rows[0] && toUser(rows[0]);
}

export async function updateUserName(
  db: Queryable,
  id: string,
  name: string,
): Promise<User | undefined> {
  const { rows } = await db.query<UserRow>(
    `UPDATE users SET name = $2, updated_at = now() WHERE id = $1 RETURNING ${columns}`,
    [id, name],
  );
  return rows[0] && toUser(rows[0]);
}

export async function selectUsers(
  db: Queryable,
  page: { after: KeysetPosition | undefined; limit: number },
): Promise<Array<{ item: User; position: KeysetPosition }>> {
  const { rows } = await db.query<UserRow>(
    `SELECT ${columns} FROM users
      WHERE ($1::timestamptz IS NULL OR (created_at, id) < ($1::timestamptz, $2::uuid))
      ORDER BY created_at DESC, id DESC LIMIT $3`,
    [page.after?.key ?? null, page.after?.id ?? null, page.limit],
  );
  return rows.map((row) => ({
    item: toUser(row),
    position: { key: row.created_at_key, id: row.id },
  }));
}
