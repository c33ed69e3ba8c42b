import { createPool, type Pool, type Queryable } from '@bazaar/db/pool';
import type { CloudEvent } from './cloud-event.js';
import type { DeadLetter, EventBus } from './event-bus.js';
import { busChannel, startPostgresConsumer } from './postgres-consumer.js';

export const busMigrations = new URL('../migrations/bus/', import.meta.url);

/** The event log in the `bus` database, for one machine without NATS. */
export function postgresBus(
  url: string,
  options: { name: string; onIdleClientError: (error: Error) => void },
): EventBus {
  // A consumer holds one connection while it leads; publishing and replays share the rest.
  const pool = createPool(url, {
    applicationName: `${options.name} bus`,
    max: 4,
    onIdleClientError: options.onIdleClientError,
  });
  return {
    transport: 'postgres',
    publish: (events) => publishToPostgres(pool, events),
    subscribe: async (subscription) => startPostgresConsumer(pool, subscription),
    deadLetters: (consumer) => listDeadLetters(pool, consumer),
    lag: async (consumer, types) => {
      const { rows } = await pool.query<{ lag: number }>(
        `SELECT count(*)::int AS lag FROM events
          WHERE type = ANY($2) AND position > coalesce(
            (SELECT position FROM consumer_positions WHERE consumer = $1), 0)`,
        [consumer, types],
      );
      return rows[0]?.lag ?? 0;
    },
    replay: (consumer, eventIds) => requestReplay(pool, consumer, eventIds),
    close: () => pool.end(),
  };
}

/**
 * Appends events to the log; an event id already there is not appended again. Appends take turns
 * (a lock held to their commit, taken before their positions are drawn): were two to overlap, the
 * later position could commit first, a consumer read past it, and the earlier never be read.
 */
export async function publishToPostgres(
  bus: Queryable,
  events: readonly CloudEvent[],
): Promise<void> {
  if (events.length === 0) return;
  await bus.query(
    `WITH appended AS (
       INSERT INTO events (id, type, source, subject, time, data, traceparent)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[],
                            $6::jsonb[], $7::text[])
        WHERE (SELECT pg_advisory_xact_lock(hashtext('${busChannel}'))) IS NOT NULL
       ON CONFLICT (id) DO NOTHING RETURNING type)
     SELECT pg_notify('${busChannel}', 'events:' || types)
       FROM (SELECT string_agg(DISTINCT type, ',') AS types FROM appended) a WHERE types IS NOT NULL`,
    [
      events.map((event) => event.id),
      events.map((event) => event.type),
      events.map((event) => event.source),
      events.map((event) => event.subject),
      events.map((event) => event.time),
      events.map((event) => JSON.stringify(event.data)),
      events.map((event) => event.traceparent ?? null),
    ],
  );
}

type DeadLetterRow = {
  consumer: string;
  event: CloudEvent;
  error: string;
  attempts: number;
  failed_at: Date;
};

async function listDeadLetters(bus: Pool, consumer?: string): Promise<DeadLetter[]> {
  const { rows } = await bus.query<DeadLetterRow>(
    `SELECT consumer, event, error, attempts, failed_at FROM dead_letters
      WHERE replay_requested_at IS NULL AND ($1::text IS NULL OR consumer = $1)
      ORDER BY failed_at, event_id`,
    [consumer ?? null],
  );
  return rows.map((row) => ({
    consumer: row.consumer,
    event: row.event,
    error: row.error,
    attempts: row.attempts,
    failedAt: row.failed_at.toISOString(),
  }));
}

/** Marks letters for replay; their consumer takes them before new events and deletes each it applies. */
async function requestReplay(
  bus: Pool,
  consumer: string,
  eventIds?: readonly string[],
): Promise<number> {
  const { rowCount } = await bus.query(
    `WITH requested AS (
       UPDATE dead_letters SET replay_requested_at = now()
        WHERE consumer = $1 AND replay_requested_at IS NULL
          AND ($2::uuid[] IS NULL OR event_id = ANY($2))
        RETURNING 1)
     SELECT pg_notify('${busChannel}', 'replay:' || $1) FROM requested`,
    [consumer, eventIds ?? null],
  );
  return rowCount ?? 0;
}
