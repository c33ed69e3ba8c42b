import { DomainError } from '@bazaar/service-kit/errors';
import type { ListingPosition } from './product.js';

const timestampPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An opaque cursor: clients pass back what they were given and never build one. */
export function encodeCursor(position: ListingPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): ListingPosition {
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
