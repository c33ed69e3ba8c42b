import type { Pool } from '@bazaar/db/pool';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { EventBus } from './event-bus.js';

export type PipelineMetrics = {
  applied: (type: string) => void;
  redelivered: (type: string) => void;
  failed: (type: string) => void;
  deadLettered: (type: string) => void;
};

/**
 * The event pipeline as Prometheus sees it: what waits in this service's outbox and for how long
 * (read from the table at each scrape), and what its consumer applied, retried, set aside and has
 * not read yet.
 */
export function pipelineMetrics(
  registry: Registry,
  options: {
    db: Pool;
    publishes: boolean;
    /** The consumer, when the service has one: its lag and dead letters are read at each scrape. */
    consumer?: { bus: EventBus; name: string; types: readonly string[] } | undefined;
  },
): PipelineMetrics {
  const { consumer } = options;
  if (consumer) {
    new Gauge({
      name: 'bazaar_consumer_lag_events',
      help: 'Events on the bus this service consumes and has not read yet.',
      registers: [registry],
      async collect() {
        this.set(await consumer.bus.lag(consumer.name, consumer.types).catch(() => 0));
      },
    });
    new Gauge({
      name: 'bazaar_dead_letters',
      help: 'Dead letters of this service waiting for a fix and a replay.',
      registers: [registry],
      async collect() {
        this.set((await consumer.bus.deadLetters(consumer.name).catch(() => [])).length);
      },
    });
  }
  if (options.publishes) {
    let last = { pending: 0, age: 0 };
    // Both gauges come from one query: a scrape reads the outbox once, not once per gauge.
    let reading: { at: number; result: Promise<typeof last> } | undefined;
    const query = async () => {
      const { rows } = await options.db.query<{ pending: number; age: number | null }>(
        `SELECT count(*)::int AS pending,
                extract(epoch FROM now() - min(created_at))::float AS age
           FROM outbox WHERE published_at IS NULL`,
      );
      last = { pending: rows[0]?.pending ?? 0, age: rows[0]?.age ?? 0 };
      return last;
    };
    const read = () => {
      if (!reading || Date.now() - reading.at > 1000) {
        reading = { at: Date.now(), result: query() };
      }
      return reading.result;
    };
    new Gauge({
      name: 'bazaar_outbox_pending_events',
      help: 'Events committed to the outbox and not yet published to the bus.',
      registers: [registry],
      async collect() {
        this.set((await read().catch(() => last)).pending);
      },
    });
    new Gauge({
      name: 'bazaar_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest unpublished outbox event (0 when none waits).',
      registers: [registry],
      async collect() {
        this.set((await read().catch(() => last)).age);
      },
    });
  }
  const applied = new Counter({
    name: 'bazaar_events_applied_total',
    help: 'Events this service consumed and applied, by type (redeliveries not counted).',
    labelNames: ['type'],
    registers: [registry],
  });
  const redelivered = new Counter({
    name: 'bazaar_events_redelivered_total',
    help: 'Events delivered again after they had been applied (a crash before the ack); the inbox kept each from applying twice.',
    labelNames: ['type'],
    registers: [registry],
  });
  const failed = new Counter({
    name: 'bazaar_event_failures_total',
    help: 'Failed attempts to apply an event, by type; each is retried, then dead-lettered.',
    labelNames: ['type'],
    registers: [registry],
  });
  const dead = new Counter({
    name: 'bazaar_dead_letters_total',
    help: 'Events this service set aside as dead letters, by type.',
    labelNames: ['type'],
    registers: [registry],
  });
  return {
    applied: (type) => applied.inc({ type }),
    redelivered: (type) => redelivered.inc({ type }),
    failed: (type) => failed.inc({ type }),
    deadLettered: (type) => dead.inc({ type }),
  };
}
