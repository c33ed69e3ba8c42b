import { Type } from 'typebox';
import { DomainError } from './errors.js';

/** A list's `limit` query parameter: 1 to 100 items a page, `size` when not given. */
export const pageLimit = (size: number) =>
  Type.Integer({ minimum: 1, maximum: 100, default: size });

/**
 * Where a page of a sorted list ends: the sort key of its last row, as text, and that row's id,
 * which breaks ties. The next page starts strictly after it.
 */
export type KeysetPosition = { key: string; id: string };

/** What a cursor's key may look like, per kind of sort column. */
export const keyShapes = {
  /** `created_at` as `keysetTimestamp` selects it */
  timestamp: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/,
  integer: /^-?\d{1,15}$/,
  decimal: /^-?\d{1,20}(\.\d{1,20})?(e-?\d{1,3})?$/,
} as const;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * An opaque cursor: clients pass back what they were given and never build one. `sort` names the
 * order it belongs to, so a cursor from one sort is refused by another.
 */
export function encodeCursor(position: KeysetPosition, sort = ''): string {
  return Buffer.from(JSON.stringify([sort, position.key, position.id])).toString('base64url');
}

/** Refuses (400 naming `cursor`) anything this API did not hand out for this sort. */
export function decodeCursor(
  cursor: string,
  expected: { keyShape: RegExp; sort?: string },
): KeysetPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(decoded) || decoded.length !== 3) throw invalidCursor();
  const [sort, key, id] = decoded;
  if (sort !== (expected.sort ?? '')) throw invalidCursor();
  if (typeof key !== 'string' || !expected.keyShape.test(key)) throw invalidCursor();
  if (typeof id !== 'string' || !uuidPattern.test(id)) throw invalidCursor();
  return { key, id };
}

function invalidCursor() {
  return new DomainError('invalid_cursor', 'cursor is not one this API handed out for this list', {
    errors: [
      { field: 'cursor', in: 'querystring', message: 'is not a cursor this API handed out' },
    ],
  });
}

/** The SQL that selects a `timestamptz` column as a cursor key, to the microsecond. */
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
  sort = '',
): Page<T> {
  const last = listed.length > limit ? listed[limit - 1] : undefined;
  return {
    items: listed.slice(0, limit).map(({ item }) => item),
    nextCursor: last ? encodeCursor(last.position, sort) : null,
  };
}
