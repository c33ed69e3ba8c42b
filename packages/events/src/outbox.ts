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
  const outbox = outboxPart(events, { firstParameter: 1 });
  await db.query(`WITH ${outbox.parts} SELECT ${outbox.notified}`, outbox.values);
}

/**
 * `addToOutbox` as a part of a statement that makes the change the events announce, so that the
 * change and its events are one statement, with no transaction around them: `parts` go after the
 * statement's own `WITH` parts, `values` after its parameters (numbered from `firstParameter`),
 * and the statement selects `notified` (the relay's wake-up) once. The events are recorded only
 * where `when` holds, SQL over the statement's parts (`EXISTS (SELECT FROM changed)`).
 */
export function outboxPart(
  events: readonly OutboxEvent[],
  { firstParameter, when = 'true' }: { firstParameter: number; when?: string },
): { parts: string; values: unknown[]; notified: string } {
  for (const event of events) assertContract(event.type, event.data);
  const [ids, types, subjects, data, traceparent] = [0, 1, 2, 3, 4].map(
    (offset) => `$${firstParameter + offset}`,
  );
  return {
    // The notification is delivered at commit, so the relay wakes for committed events only.
    parts: `outbox_added AS (
       INSERT INTO outbox (id, type, subject, data, traceparent)
       SELECT id, type, subject, data, ${traceparent}::text
         FROM unnest(${ids}::uuid[], ${types}::text[], ${subjects}::text[], ${data}::jsonb[])
           AS e (id, type, subject, data)
        WHERE ${when}
       RETURNING 1),
     outbox_notified AS (
       SELECT pg_notify('${outboxChannel}', '') WHERE EXISTS (SELECT FROM outbox_added))`,
    values: [
      events.map(() => randomUUID()),
      events.map((event) => event.type),
      events.map((event) => event.subject),
      events.map((event) => JSON.stringify(event.data)),
      currentTraceparent(),
    ],
    notified: '(SELECT count(*) FROM outbox_notified)',
  };
}
