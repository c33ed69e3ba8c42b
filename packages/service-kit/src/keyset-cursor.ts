import { DomainError } from './errors.js';

/** Where a page of a newest-first list ends; the next page starts strictly after it. */
export type KeysetPosition = { createdAt: string; id: string };

const timestampPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * An opaque cursor over `(created_at, id)` order: clients pass back what they were given and never
 * build one. `createdAt` is UTC text to the microsecond, as `keysetTimestamp` selects it.
 */
export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): KeysetPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) throw invalidCursor();
  const [createdAt, id] = decoded;
  if (typeof createdAt !== 'string' || !timestampPattern.test(createdAt)) throw invalidCursor();
  if (typeof id !== 'string' || !uuidPattern.test(id)) throw invalidCursor();
  return { createdAt, id };
}

function invalidCursor() {
  return new DomainError('invalid_cursor', 'cursor is not one this API handed out', {
    errors: [
      { field: 'cursor', in: 'querystring', message: 'is not a cursor this API handed out' },
    ],
  });
}

/** The SQL that selects a `timestamptz` column as a cursor's `createdAt`. */
export function keysetTimestamp(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

export type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * Turns rows read with `LIMIT limit + 1` into a page: the extra row only says another page follows.
 */
export function toPage<T>(
  listed: ReadonlyArray<{ item: T; position: KeysetPosition }>,
  limit: number,
): Page<T> {
  const last = listed.length > limit ? listed[limit - 1] : undefined;
  return {
    items: listed.slice(0, limit).map(({ item }) => item),
    nextCursor: last ? encodeCursor(last.position) : null,
  };
}
