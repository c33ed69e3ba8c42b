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
  created_at_key: string;
};

const columns = `id, email, name, role, created_at, password_hash, ${keysetTimestamp('created_at')} AS created_at_key`;

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    createdAt: row.created_at.toISOString(),
  };
}

export async function insertUser(
  db: Queryable,
  user: { id: string; email: string; name: string; role: UserRole; passwordHash: string },
): Promise<User> {
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, $5)
     RETURNING ${columns}`,
    [user.id, user.email, user.name, user.role, user.passwordHash],
  );
  return toUser(rows[0] as UserRow);
}

/** The user and their password hash, for checking a sign-in. */
export async function findCredentials(
  db: Queryable,
  email: string,
): Promise<{ user: User; passwordHash: string } | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${columns} FROM users WHERE email = $1`, [
    email,
  ]);
  const row = rows[0];
  return row && { user: toUser(row), passwordHash: row.password_hash };
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
