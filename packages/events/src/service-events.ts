import { createPool, type Pool } from '@bazaar/db/pool';
import type { Registry } from 'prom-client';
import { type BusConfig, connectBus } from './bus.js';
import type { CloudEvent } from './cloud-event.js';
import type { EventHandlers } from './inbox.js';
import { startOutboxRelay } from './outbox-relay.js';
import { pipelineMetrics } from './pipeline-metrics.js';

type Log = {
  warn: (details: object, message: string) => void;
  error: (details: object, message: string) => void;
};

/**
 * What a service runs to take part in the events: the relay of its outbox (with `source` = its
 * name) and, when it handles events, its consumer (also named after it). The function it returns
 * stops both and closes the bus; call it before the service's database pool ends.
 */
export async function startServiceEvents(options: {
  name: string;
  config: BusConfig;
  db: Pool;
  log: Log;
  /** False for a service that publishes nothing (it has no outbox table). */
  publishes?: boolean;
  handlers?: EventHandlers;
  afterApplied?: (event: CloudEvent) => Promise<void>;
  /** Where the pipeline's metrics go: the service's /metrics registry. */
  metrics: Registry;
}): Promise<() => Promise<void>> {
  const { name, log } = options;

  const bus = await connectBus(options.config, {
    name,
    onIdleClientError: (error) => log.warn({ err: error }, 'idle bus connection failed'),
  });
  const measure = pipelineMetrics(options.metrics, {
    db: options.db,
    publishes: options.publishes !== false,
    consumer: options.handlers && { bus, name, types: Object.keys(options.handlers) },
  });
  // One connection that only waits for NOTIFY, straight to the database when a pooler stands
  // between the service and it.
  const listenDb =
    options.publishes !== false && options.config.DATABASE_LISTEN_URL
      ? createPool(options.config.DATABASE_LISTEN_URL, {
          applicationName: `${name}-outbox-listener`,
          max: 1,
          onIdleClientError: (error) => log.warn({ err: error }, 'idle listen connection failed'),
        })
      : undefined;
  const stopRelay =
    options.publishes === false
      ? async () => {}
      : startOutboxRelay({
          db: options.db,
          listenDb: listenDb ?? options.db,
          bus,
          source: name,
          intervalMs: options.config.OUTBOX_RELAY_INTERVAL_MS,
          onError: (error) => log.warn({ err: error }, 'outbox relay failed; will retry'),
        });
  const stopConsumer = options.handlers
    ? await bus.subscribe({
        consumer: name,
        db: options.db,
        handlers: options.handlers,
        afterApplied: async (event) => {
          measure.applied(event.type);
          await options.afterApplied?.(event);
        },
        onDeadLetter: (event) => measure.deadLettered(event.type),
        onRedelivered: (event) => measure.redelivered(event.type),
        onError: (error, event) => {
          if (event) measure.failed(event.type);
          log.error({ err: error, eventId: event?.id, eventType: event?.type }, 'event failed');
        },
      })
    : async () => {};
  return async () => {
    await Promise.all([stopConsumer(), stopRelay()]);
    await Promise.all([bus.close(), listenDb?.end()]);
  };
}
