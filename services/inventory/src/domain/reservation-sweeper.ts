import type { Pool } from '@bazaar/db/pool';
import { runEvery } from '@bazaar/service-kit/periodic';
import type { FastifyBaseLogger } from 'fastify';
import { releaseExpiredReservations } from './settle-reservation.js';

/** Releases expired reservations every `intervalMs`; the returned function stops it and waits for a run in progress. */
export function startReservationSweeper(
  db: Pool,
  options: { intervalMs: number; log: FastifyBaseLogger },
): () => Promise<void> {
  return runEvery(
    options.intervalMs,
    async () => {
      let released = 0;
      for (
        let batch = await releaseExpiredReservations(db);
        batch > 0;
        batch = await releaseExpiredReservations(db)
      ) {
        released += batch;
      }
      if (released > 0) options.log.info({ released }, 'released expired reservations');
    },
    (error) => options.log.error({ err: error }, 'reservation sweep failed'),
  );
}
