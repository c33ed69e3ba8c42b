import type { Pool } from '@bazaar/db/pool';
import type { FastifyBaseLogger } from 'fastify';
import { releaseExpiredReservations } from './settle-reservation.js';

/** Releases expired reservations every `intervalMs`; the returned function stops it and waits for a run in progress. */
export function startReservationSweeper(
  db: Pool,
  options: { intervalMs: number; log: FastifyBaseLogger },
): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  const sweep = async () => {
    try {
      let released = 0;
      for (
        let batch = await releaseExpiredReservations(db);
        batch > 0;
        batch = await releaseExpiredReservations(db)
      ) {
        released += batch;
      }
      if (released > 0) options.log.info({ released }, 'released expired reservations');
    } catch (error) {
      options.log.error({ err: error }, 'reservation sweep failed');
    }
  };
  const timer = setInterval(() => {
    running = running.then(sweep);
  }, options.intervalMs);
  return async () => {
    clearInterval(timer);
    await running;
  };
}
