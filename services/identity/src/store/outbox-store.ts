import { randomUUID } from 'node:crypto';
import type { Queryable } from '@bazaar/db/pool';

/** Records an event in the same transaction as the change it announces; a relay publishes it. */
export async function addToOutbox(
  db: Queryable,
  event: { type: string; subject: string; data: Record<string, unknown> },
) {
  await db.query('INSERT INTO outbox (id, type, subject, data) VALUES ($1, $2, $3, $4)', [
    randomUUID(),
    event.type,
    event.subject,
    event.data,
  ]);
}
