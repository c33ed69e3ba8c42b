import { randomUUID } from 'node:crypto';
import type { EventData, EventType } from '@bazaar/contracts/events';
import type { Queryable } from '@bazaar/db/pool';
import { assertContract } from './cloud-event.js';
import { currentTraceparent } from './event-tracing.js';
import { outboxChannel } from './outbox-relay.js';

/** An event as a producer hands it to `addToOutbox`: its data matches its type's contract. */
export type OutboxEvent = {
  [T in EventType]: { type: T; subject: string; data: EventData<T> };
}[EventType];

/**
 * Records events in the producing service's `outbox` table, in the same transaction as the change
 * they announce, so that nothing is announced that did not happen and nothing that happened is
 * lost; many events (an import's) are one statement. The data must match its contract in
 * `@bazaar/contracts/events`. Every producer's migrations create the table: `outbox (id uuid
 * PRIMARY KEY, type text, subject text, data jsonb, created_at, published_at, traceparent)`; the
 * trace the change runs in goes with the events.
 */
export async function addToOutbox(db: Queryable, ...events: OutboxEvent[]): Promise<void> {
  if (events.length === 0) return;
  for (const event of events) assertContract(event.type, event.data);
  const traceparent = currentTraceparent();
  // The notification is delivered at commit, so the relay wakes for committed events only.
  await db.query(
    `WITH added AS (
       INSERT INTO outbox (id, type, subject, data, traceparent)
       SELECT id, type, subject, data, $5 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[])
         AS e (id, type, subject, data)
       RETURNING 1)
     SELECT pg_notify('${outboxChannel}', '') WHERE EXISTS (SELECT FROM added)`,
    [
      events.map(() => randomUUID()),
      events.map((event) => event.type),
      events.map((event) => event.subject),
      events.map((event) => JSON.stringify(event.data)),
      traceparent,
    ],
  );
}
