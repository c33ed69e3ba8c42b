import { randomUUID } from 'node:crypto';
import type { EventData, EventType } from '@bazaar/contracts/events';
import type { Queryable } from '@bazaar/db/pool';
import { assertContract } from './cloud-event.js';
import { currentTraceparent } from './event-tracing.js';
import { outboxChannel } from './outbox-relay.js';

/**
 * Records an event in the producing service's `outbox` table, in the same transaction as the change
 * it announces, so that nothing is announced that did not happen and nothing that happened is lost.
 * The data must match its contract in `@bazaar/contracts/events`. Every producer's migrations create
 * the table: `outbox (id uuid PRIMARY KEY, type text, subject text, data jsonb, created_at,
 * published_at, traceparent)`; the trace the change runs in goes with the event.
 */
export async function addToOutbox<T extends EventType>(
  db: Queryable,
  event: { type: T; subject: string; data: EventData<T> },
): Promise<void> {
  assertContract(event.type, event.data);
  // The notification is delivered at commit, so the relay wakes for committed events only.
  await db.query(
    `WITH added AS (
       INSERT INTO outbox (id, type, subject, data, traceparent) VALUES ($1, $2, $3, $4, $5) RETURNING 1)
     SELECT pg_notify('${outboxChannel}', '') FROM added`,
    [randomUUID(), event.type, event.subject, event.data, currentTraceparent()],
  );
}
