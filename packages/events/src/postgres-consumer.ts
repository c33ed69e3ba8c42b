import { setTimeout as sleep } from 'node:timers/promises';
import { type Pool, type PoolClient, withTransaction } from '@bazaar/db/pool';
import { type CloudEvent, contractViolation, toCloudEvent } from './cloud-event.js';
import { busChannel } from './postgres-bus.js';

/** Applies one event inside the consumer's transaction, which also records it in the inbox. */
export type EventHandler = (trx: PoolClient, event: CloudEvent) => Promise<void>;

export type ConsumerOptions = {
  /** The bus database. */
  bus: Pool;
  /** The consuming service's database, with its `inbox (consumer, event_id)` table. */
  db: Pool;
  consumer: string;
  handlers: Readonly<Record<string, EventHandler>>;
  maxAttempts?: number;
  retryDelayMs?: number;
  pollIntervalMs?: number;
  onError: (error: unknown, event: CloudEvent | undefined) => void;
};

type EventRow = {
  position: string;
  id: string;
  type: string;
  source: string;
  subject: string;
  time: Date;
  data: unknown;
};

/**
 * Reads the bus in order for the types it handles and applies each event exactly once: the inbox
 * row and the effect commit together, so a redelivered event changes nothing. A failing event is
 * retried with backoff, then set aside as a dead letter so the events after it still flow; one
 * whose data breaks its contract goes there at once. One replica reads at a time (an advisory lock
 * per consumer name); the others wait to take over. Returns a function that stops it.
 */
export function startPostgresConsumer(options: ConsumerOptions): () => Promise<void> {
  let running = true;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (running) {
      try {
        await consumeWhileLeader(
          options,
          () => running,
          (resolve) => {
            wake = resolve;
          },
        );
      } catch (error) {
        options.onError(error, undefined);
      }
      if (running) await sleep(options.pollIntervalMs ?? 1000);
    }
  })();
  return async () => {
    running = false;
    wake?.();
    await loop;
  };
}

async function consumeWhileLeader(
  options: ConsumerOptions,
  isRunning: () => boolean,
  onWait: (wake: () => void) => void,
): Promise<void> {
  const client = await options.bus.connect();
  try {
    const { rows } = await client.query<{ leader: boolean }>(
      'SELECT pg_try_advisory_lock(hashtext($1)) AS leader',
      [`consumer:${options.consumer}`],
    );
    if (!rows[0]?.leader) return;
    // A publish (NOTIFY) or a stop ends the wait early; the poll interval bounds it anyway.
    let wakeUp = () => {};
    client.on('notification', () => wakeUp());
    await client.query(`LISTEN ${busChannel}`);
    await client.query(
      'INSERT INTO consumer_positions (consumer) VALUES ($1) ON CONFLICT (consumer) DO NOTHING',
      [options.consumer],
    );
    while (isRunning()) {
      if ((await consumeBatch(options, client)) > 0) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollIntervalMs ?? 1000);
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

async function consumeBatch(options: ConsumerOptions, client: PoolClient): Promise<number> {
  const { rows } = await client.query<EventRow>(
    `SELECT e.position, e.id, e.type, e.source, e.subject, e.time, e.data
       FROM events e, consumer_positions p
      WHERE p.consumer = $1 AND e.position > p.position AND e.type = ANY($2)
      ORDER BY e.position LIMIT 100`,
    [options.consumer, Object.keys(options.handlers)],
  );
  for (const row of rows) {
    await deliver(options, client, toCloudEvent(row));
    await client.query(
      'UPDATE consumer_positions SET position = $2, updated_at = now() WHERE consumer = $1',
      [options.consumer, row.position],
    );
  }
  return rows.length;
}

async function deliver(
  options: ConsumerOptions,
  bus: PoolClient,
  event: CloudEvent,
): Promise<void> {
  const handler = options.handlers[event.type];
  const violation = contractViolation(event.type, event.data);
  if (!handler || violation) {
    await deadLetter(bus, options.consumer, event, violation ?? 'no handler', 0);
    return;
  }
  const maxAttempts = options.maxAttempts ?? 5;
  let lastError: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    try {
      await withTransaction(options.db, async (trx) => {
        const { rowCount } = await trx.query(
          'INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
          [options.consumer, event.id],
        );
        if (rowCount === 1) await handler(trx, event);
      });
      return;
    } catch (error) {
      lastError = error;
      options.onError(error, event);
      if (attempt < maxAttempts) await sleep((options.retryDelayMs ?? 200) * 2 ** (attempt - 1));
    }
  }
  await deadLetter(bus, options.consumer, event, String(lastError), maxAttempts);
}

async function deadLetter(
  bus: PoolClient,
  consumer: string,
  event: CloudEvent,
  error: string,
  attempts: number,
) {
  await bus.query(
    `INSERT INTO dead_letters (consumer, event_id, event, error, attempts) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (consumer, event_id) DO UPDATE SET error = excluded.error, attempts = excluded.attempts,
       failed_at = now(), replayed_at = NULL`,
    [consumer, event.id, JSON.stringify(event), error, attempts],
  );
}
