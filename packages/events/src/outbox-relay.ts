import type { Pool, PoolClient } from '@bazaar/db/pool';
import { toCloudEvent } from './cloud-event.js';
import type { EventBus } from './event-bus.js';
import { startSendSpans } from './event-tracing.js';

type OutboxRow = {
  id: string;
  type: string;
  subject: string;
  data: unknown;
  created_at: Date;
  traceparent: string | null;
};

/**
 * Publishes up to `batchSize` unpublished outbox events, then marks them published: two
 * statements, no transaction, and one when the outbox is empty. A relay that dies between the
 * publish and the mark, or two replicas' relays that read the same events, publish them again with
 * the same ids, and the bus stores each id once.
 */
export async function relayOutbox(
  db: Pool,
  bus: Pick<EventBus, 'publish' | 'transport'>,
  options: { source: string; batchSize?: number },
): Promise<number> {
  const { rows } = await db.query<OutboxRow>(
    `SELECT id, type, subject, data, created_at, traceparent FROM outbox
      WHERE published_at IS NULL ORDER BY created_at, id LIMIT $1`,
    [options.batchSize ?? 100],
  );
  if (rows.length === 0) return 0;
  const sent = startSendSpans(
    rows.map((row) => toCloudEvent({ ...row, source: options.source, time: row.created_at })),
    bus.transport,
  );
  try {
    await bus.publish(sent.events);
    sent.end();
  } catch (error) {
    sent.end(error);
    throw error;
  }
  await db.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1)', [
    rows.map((row) => row.id),
  ]);
  return rows.length;
}

/** How often a relay without a LISTEN connection looks at its outbox, at most. */
const unheardMs = 500;

/** The channel on which a commit that wrote to an outbox wakes that service's relay. */
export const outboxChannel = 'bazaar_outbox';

/**
 * Relays the outbox to the bus until stopped: at once while there is a backlog or when a commit
 * announces new events (NOTIFY), else every `intervalMs`, a fallback. Without a LISTEN connection
 * (the database away, or just back) it looks every half second at most, so that events written
 * while none listened are not left to the fallback. A failure (bus or database away) is reported
 * and tried again on the next round; the events wait in the outbox meanwhile.
 */
export function startOutboxRelay(options: {
  db: Pool;
  /** Where the relay LISTENs: `db`, unless that is a transaction pooler's (which cannot LISTEN). */
  listenDb: Pool;
  bus: Pick<EventBus, 'publish' | 'transport'>;
  source: string;
  intervalMs: number;
  onError: (error: unknown) => void;
}): () => Promise<void> {
  const batchSize = 100;
  let running = true;
  let notified = false;
  let wake = () => {};
  let listener: PoolClient | undefined;
  const listen = async () => {
    try {
      listener = await options.listenDb.connect();
      listener.on('notification', () => {
        notified = true;
        wake();
      });
      // A listener that loses its connection is dropped; the next round, at once, makes a new one.
      listener.on('error', () => {
        listener?.release(true);
        listener = undefined;
        wake();
      });
      await listener.query(`LISTEN ${outboxChannel}`);
    } catch (error) {
      listener?.release(true);
      listener = undefined;
      options.onError(error);
    }
  };
  const loop = (async () => {
    while (running) {
      if (!listener) await listen();
      notified = false;
      let relayed = 0;
      try {
        relayed = await relayOutbox(options.db, options.bus, { source: options.source, batchSize });
      } catch (error) {
        options.onError(error);
      }
      if (relayed < batchSize && !notified && running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(
            resolve,
            listener ? options.intervalMs : Math.min(options.intervalMs, unheardMs),
          );
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
    listener?.release();
  })();
  return async () => {
    running = false;
    wake();
    await loop;
  };
}
