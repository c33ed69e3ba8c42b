import { randomUUID } from 'node:crypto';
import type { Queryable } from '@bazaar/db/pool';

/**
 * Records an event in the producing service's `outbox` table, in the same transaction as the change
 * it announces, so that nothing is announced that did not happen and nothing that happened is lost.
 * Every producer's migrations create the table:
 * `outbox (id uuid PRIMARY KEY, type text, subject text, data jsonb, created_at, published_at)`.
 */
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
