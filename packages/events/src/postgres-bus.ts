import type { Pool } from '@bazaar/db/pool';
import type { CloudEvent } from './cloud-event.js';

/** The channel on which a publish wakes the consumers up. */
export const busChannel = 'bazaar_bus';

export const busMigrations = new URL('../migrations/bus/', import.meta.url);

/** Appends events to the log; an event id already there is not appended again. */
export async function publishToPostgres(bus: Pool, events: readonly CloudEvent[]): Promise<void> {
  if (events.length === 0) return;
  await bus.query(
    `WITH appended AS (
       INSERT INTO events (id, type, source, subject, time, data)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[])
       ON CONFLICT (id) DO NOTHING RETURNING 1)
     SELECT pg_notify('${busChannel}', '') FROM appended LIMIT 1`,
    [
      events.map((event) => event.id),
      events.map((event) => event.type),
      events.map((event) => event.source),
      events.map((event) => event.subject),
      events.map((event) => event.time),
      events.map((event) => JSON.stringify(event.data)),
    ],
  );
}
