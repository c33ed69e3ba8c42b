import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool, PoolClient } from '@bazaar/db/pool';
import { type CloudEvent, toCloudEvent } from './cloud-event.js';
import {
  applyAllOnce,
  applyOnceThroughOutages,
  defaultMaxAttempts,
  rejection,
  retryDelay,
  type Subscription,
} from './inbox.js';

/**
 * The channel on which a publish (or a replay) wakes the consumers up. A publish's payload names
 * the types it appended (`events:a,b`), a replay's its consumer (`replay:name`), so only the
 * consumers concerned look; an empty payload wakes every consumer to look for both.
 */
export const busChannel = 'bazaar_bus';

/** How long a consumer waits for a NOTIFY before it looks at the log anyway: a fallback. */
const pollIntervalMs = 5000;

/** How long a replica that does not lead waits before trying to take over. */
const followerRetryMs = 1000;

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
 * Reads the bus in order for the types it handles and applies each event once, a page of them in
 * one transaction (see `applyAllOnce`). A failing event is retried with backoff, then set aside as
 * a dead letter so the events after it still flow; one that can never be handled (its data breaks
 * the contract) goes there at once.
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
      if (running) await sleep(followerRetryMs);
    }
  })();
  return async () => {
    running = false;
    wake();
    await loop;
  };
}

/** What a notification asks this consumer to look at. */
function wanted(
  payload: string,
  subscription: Pick<Subscription, 'consumer' | 'handlers'>,
): { events: boolean; replays: boolean } {
  if (payload === '') return { events: true, replays: true };
  const [kind = '', rest = ''] = payload.split(/:(.*)/s);
  if (kind === 'replay') return { events: false, replays: rest === subscription.consumer };
  const handled = subscription.handlers as Readonly<Record<string, unknown>>;
  return { events: rest.split(',').some((type) => type in handled), replays: false };
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
    // What is to be looked at: everything at first and after each fallback interval, then what
    // notifications name; one that arrives while a batch is applied is kept for the next round.
    const pending = { events: true, replays: true };
    let wakeUp = () => {};
    client.on('notification', (notification) => {
      const asked = wanted(notification.payload ?? '', subscription);
      if (!asked.events && !asked.replays) return;
      pending.events ||= asked.events;
      pending.replays ||= asked.replays;
      wakeUp();
    });
    await client.query(`LISTEN ${busChannel}`);
    const { rows: started } = await client.query<{ position: string }>(
      `INSERT INTO consumer_positions (consumer) VALUES ($1)
       ON CONFLICT (consumer) DO UPDATE SET consumer = excluded.consumer RETURNING position`,
      [subscription.consumer],
    );
    const position = new Position(client, subscription.consumer, started[0]?.position ?? '0');
    try {
      while (isRunning()) {
        if (pending.replays) {
          pending.replays = false;
          // A full page of letters may have more behind it.
          if ((await consumeReplays(subscription, client, isRunning)) === pageSize) {
            pending.replays = true;
          }
        }
        if (pending.events) {
          pending.events = false;
          if ((await consumeBatch(subscription, client, isRunning, position)) === pageSize) {
            pending.events = true;
          }
        }
        if (pending.events || pending.replays) continue;
        await position.save();
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            pending.events = true;
            pending.replays = true;
            resolve();
          }, pollIntervalMs);
          wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
          onWait(wakeUp);
        });
      }
    } finally {
      await position.save().catch(() => undefined);
    }
  } finally {
    client.removeAllListeners('notification');
    await client.query('UNLISTEN *; SELECT pg_advisory_unlock_all()').catch(() => undefined);
    client.release();
  }
}

/**
 * How far the consumer has read, and how far the bus knows it has (`consumer_positions`, its ack):
 * while events keep coming, the move is written by the next page's read, else once before the
 * consumer waits or stops. Should it stop without writing it, the events since are read again, and
 * the inbox knows them.
 */
class Position {
  read: string;

  constructor(
    private readonly client: PoolClient,
    private readonly consumer: string,
    private saved: string,
  ) {
    this.read = saved;
  }

  /** Reads the next page of `types`, writing the move so far in the same statement. */
  async nextPage(types: readonly string[]): Promise<EventRow[]> {
    const read = this.read;
    const moving = read !== this.saved;
    const { rows } = await this.client.query<EventRow>(
      `${moving ? `WITH moved AS (${moveTo('$2', '$3')}) ` : ''}
       SELECT e.position, e.id, e.type, e.source, e.subject, e.time, e.data, e.traceparent
         FROM events e WHERE e.type = ANY($1) AND e.position > $2
        ORDER BY e.position LIMIT ${pageSize}`,
      moving ? [types, read, this.consumer] : [types, read],
    );
    this.saved = read;
    return rows;
  }

  async save(): Promise<void> {
    const read = this.read;
    if (read === this.saved) return;
    await this.client.query(moveTo('$1', '$2'), [read, this.consumer]);
    this.saved = read;
  }
}

/** The statement that writes a consumer's position, from the parameters given. */
function moveTo(position: string, consumer: string): string {
  return `UPDATE consumer_positions SET position = ${position}, updated_at = now() WHERE consumer = ${consumer}`;
}

/** How many events (or letters) one round reads. */
const pageSize = 100;

async function consumeBatch(
  subscription: Subscription,
  client: PoolClient,
  isRunning: () => boolean,
  position: Position,
): Promise<number> {
  const rows = await position.nextPage(Object.keys(subscription.handlers));
  const last = rows.at(-1);
  if (!last) return 0;
  const events = rows.map(toCloudEvent);
  const [good, rejected] = partition(events, (event) => !rejection(subscription, event));
  try {
    // The page in one transaction; should it fail, one event at a time finds which, and retries it.
    if (good.length > 0) await applyAllOnce(subscription, good, 'postgres');
  } catch {
    for (const event of good) await deliver(subscription, client, event, isRunning);
  }
  for (const event of rejected) await deliver(subscription, client, event, isRunning);
  position.read = last.position;
  return rows.length;
}

async function consumeReplays(
  subscription: Subscription,
  client: PoolClient,
  isRunning: () => boolean,
): Promise<number> {
  const { rows } = await client.query<{ event: CloudEvent }>(
    `SELECT event FROM dead_letters WHERE consumer = $1 AND replay_requested_at IS NOT NULL
      ORDER BY failed_at LIMIT ${pageSize}`,
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

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const passed: T[] = [];
  const failed: T[] = [];
  for (const item of items) (test(item) ? passed : failed).push(item);
  return [passed, failed];
}
