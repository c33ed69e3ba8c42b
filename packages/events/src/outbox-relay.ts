import { type Pool, withTransaction } from '@bazaar/db/pool';
import { type CloudEvent, toCloudEvent } from './cloud-event.js';

type OutboxRow = { id: string; type: string; subject: string; data: unknown; created_at: Date };

/**
 * Publishes up to `batchSize` unpublished outbox events and marks them published, in one
 * transaction. Rows are claimed with SKIP LOCKED, so several relays never take the same events; a
 * relay that dies after publishing and before marking publishes them again, with the same ids, and
 * the bus stores each id once.
 */
export async function relayOutbox(
  db: Pool,
  publish: (events: CloudEvent[]) => Promise<void>,
  options: { source: string; batchSize?: number },
): Promise<number> {
  return withTransaction(db, async (trx) => {
    const { rows } = await trx.query<OutboxRow>(
      `SELECT id, type, subject, data, created_at FROM outbox
        WHERE published_at IS NULL ORDER BY created_at, id
        LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [options.batchSize ?? 100],
    );
    if (rows.length === 0) return 0;
    await publish(
      rows.map((row) => toCloudEvent({ ...row, source: options.source, time: row.created_at })),
    );
    await trx.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1)', [
      rows.map((row) => row.id),
    ]);
    return rows.length;
  });
}
