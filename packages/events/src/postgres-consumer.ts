import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool, PoolClient } from '@bazaar/db/pool';
import { type CloudEvent, toCloudEvent } from './cloud-event.js';
import {
  applyOnceThroughOutages,
  defaultMaxAttempts,
  rejection,
  retryDelay,
  type Subscription,
} from './inbox.js';

/** The channel on which a publish (or a replay) wakes the consumers up. */
export const busChannel = 'bazaar_bus';

/** How long a consumer waits for a NOTIFY before it looks at the log anyway. */
const pollIntervalMs = 1000;

type EventRow = {
  position: string;
  id: string;
  type: string;
  source: string;
  subject: string;
  time: Date;
  data: unknown;
  traceparent: string | null;
};

/**
 * Reads the bus in order for the types it handles and applies each event once (see `applyOnce`).
 * A failing event is retried with backoff, then set aside as a dead letter so the events after it
 * still flow; one that can never be handled (its data breaks the contract) goes there at once.
 * Letters an operator asked to replay are taken before new events. One replica reads at a time
 * (an advisory lock per consumer name); the others wait to take over. Returns a function that
 * stops it.
 */
export function startPostgresConsumer(bus: Pool, subscription: Subscription): () => Promise<void> {
  let running = true;
  let wake = () => {};
  const loop = (async () => {
    while (running) {
      try {
        await consumeWhileLeader(
          bus,
          subscription,
          () => running,
          (resolve) => {
            wake = resolve;
          },
        );
      } catch (error) {
        subscription.onError(error, undefined);
      }
      if (running) await sleep(pollIntervalMs);
    }
  })();
  return async () => {
    running = false;
    wake();
    await loop;
  };
}

async function consumeWhileLeader(
  bus: Pool,
  subscription: Subscription,
  isRunning: () => boolean,
  onWait: (wake: () => void) => void,
): Promise<void> {
  const client = await bus.connect();
  try {
    const { rows } = await client.query<{ leader: boolean }>(
      'SELECT pg_try_advisory_lock(hashtext($1)) AS leader',
      [`consumer:${subscription.consumer}`],
    );
    if (!rows[0]?.leader) return;
    // A publish (NOTIFY) or a stop ends the wait early; the poll interval bounds it anyway.
    let wakeUp = () => {};
    client.on('notification', () => wakeUp());
    await client.query(`LISTEN ${busChannel}`);
    await client.query(
      'INSERT INTO consumer_positions (consumer) VALUES ($1) ON CONFLICT (consumer) DO NOTHING',
      [subscription.consumer],
    );
    while (isRunning()) {
      const handled =
        (await consumeReplays(subscription, client, isRunning)) +
        (await consumeBatch(subscription, client, isRunning));
      if (handled > 0) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollIntervalMs);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
        onWait(wakeUp);
      });
    }
  } finally {
    client.removeAllListeners('notification');
    await client.query('UNLISTEN *; SELECT pg_advisory_unlock_all()').catch(() => undefined);
    client.release();
  }
}

async function consumeBatch(
  subscription: Subscription,
  client: PoolClient,
  isRunning: () => boolean,
): Promise<number> {
  const { rows } = await client.query<EventRow>(
    `SELECT e.position, e.id, e.type, e.source, e.subject, e.time, e.data, e.traceparent
       FROM events e, consumer_positions p
      WHERE p.consumer = $1 AND e.position > p.position AND e.type = ANY($2)
      ORDER BY e.position LIMIT 100`,
    [subscription.consumer, Object.keys(subscription.handlers)],
  );
  for (const row of rows) {
    await deliver(subscription, client, toCloudEvent(row), isRunning);
    await client.query(
      'UPDATE consumer_positions SET position = $2, updated_at = now() WHERE consumer = $1',
      [subscription.consumer, row.position],
    );
  }
  return rows.length;
}

async function consumeReplays(
  subscription: Subscription,
  client: PoolClient,
  isRunning: () => boolean,
): Promise<number> {
  const { rows } = await client.query<{ event: CloudEvent }>(
    `SELECT event FROM dead_letters WHERE consumer = $1 AND replay_requested_at IS NOT NULL
      ORDER BY failed_at LIMIT 100`,
    [subscription.consumer],
  );
  for (const { event } of rows) {
    if (await deliver(subscription, client, event, isRunning)) {
      await client.query('DELETE FROM dead_letters WHERE consumer = $1 AND event_id = $2', [
        subscription.consumer,
        event.id,
      ]);
    }
  }
  return rows.length;
}

/** Applies the event, retrying; returns false when it ended as a dead letter. */
async function deliver(
  subscription: Subscription,
  bus: PoolClient,
  event: CloudEvent,
  isRunning: () => boolean,
): Promise<boolean> {
  const rejected = rejection(subscription, event);
  if (rejected) {
    await deadLetter(bus, subscription, event, rejected, 0);
    return false;
  }
  const maxAttempts = subscription.maxAttempts ?? defaultMaxAttempts;
  let lastError: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    try {
      await applyOnceThroughOutages(subscription, event, 'postgres', { running: isRunning });
      return true;
    } catch (error) {
      lastError = error;
      subscription.onError(error, event);
      if (attempt < maxAttempts) await sleep(retryDelay(subscription, attempt));
    }
  }
  await deadLetter(bus, subscription, event, String(lastError), maxAttempts);
  return false;
}

async function deadLetter(
  bus: PoolClient,
  subscription: Subscription,
  event: CloudEvent,
  error: string,
  attempts: number,
) {
  const { consumer } = subscription;
  subscription.onDeadLetter?.(event);
  await bus.query(
    `INSERT INTO dead_letters (consumer, event_id, event, error, attempts) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (consumer, event_id) DO UPDATE SET error = excluded.error, attempts = excluded.attempts,
       failed_at = now(), replay_requested_at = NULL`,
    [consumer, event.id, JSON.stringify(event), error, attempts],
  );
}
