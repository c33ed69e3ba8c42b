import { ConfigError, postgresUrlSetting } from '@bazaar/service-kit/config';
import { type Static, type TObject, type TProperties, Type } from 'typebox';
import type { CloudEvent } from './cloud-event.js';
import type { Subscription } from './inbox.js';
import { natsBus } from './nats-bus.js';
import { postgresBus } from './postgres-bus.js';

/** An event a consumer gave up on, kept until an operator replays it. */
export type DeadLetter = {
  consumer: string;
  event: CloudEvent;
  error: string;
  attempts: number;
  /** ISO 8601 */
  failedAt: string;
};

/** The same guarantees over either transport: NATS JetStream, or the PostgreSQL log. */
export type EventBus = {
  readonly transport: 'nats' | 'postgres';
  /** Stores each event id once: publishing the same events again changes nothing. */
  publish(events: readonly CloudEvent[]): Promise<void>;
  /** Delivers the subscribed types until the returned function is called. */
  subscribe(subscription: Subscription): Promise<() => Promise<void>>;
  deadLetters(consumer?: string): Promise<DeadLetter[]>;
  /** Events of these types the consumer has not read yet. */
  lag(consumer: string, types: readonly string[]): Promise<number>;
  /** Hands dead letters back to their consumer (all of its letters, or those ids); returns how many. */
  replay(consumer: string, eventIds?: readonly string[]): Promise<number>;
  close(): Promise<void>;
};

/** Where a service's events travel: NATS JetStream when NATS_URL is set, else the `bus` database. */
export const busConfig = {
  NATS_URL: Type.Optional(
    Type.String({
      pattern: '^(nats|tls)://[^\\s,]+(,(nats|tls)://[^\\s,]+)*$',
      description:
        "a nats:// URL, or a comma-separated list of a cluster's: events travel on NATS JetStream",
    }),
  ),
  NATS_STREAM: Type.String({
    default: 'bazaar',
    pattern: '^[A-Za-z0-9_-]{1,32}$',
    description: 'the JetStream stream, also the root of its subjects (letters, digits, _ and -)',
  }),
  NATS_STREAM_REPLICAS: Type.Integer({
    default: 1,
    minimum: 1,
    maximum: 5,
    description:
      'copies JetStream keeps of the stream, one per server (3 on a three-node cluster: one node may fail)',
  }),
  BUS_DATABASE_URL: Type.Optional(postgresUrlSetting()),
  // The service's database itself, for the outbox relay's LISTEN, when DATABASE_URL goes through a
  // transaction pooler (PgBouncer), which cannot carry one. DATABASE_URL when unset.
  DATABASE_LISTEN_URL: Type.Optional(postgresUrlSetting()),
  OUTBOX_RELAY_INTERVAL_MS: Type.Integer({
    default: 200,
    minimum: 10,
    description: 'milliseconds between looks at the outbox when it is empty (at least 10)',
  }),
} satisfies TProperties;

export type BusConfig = Static<TObject<typeof busConfig>>;

/** Connects to the transport the settings name; neither named stops the process at boot. */
export async function connectBus(
  config: BusConfig,
  options: { name: string; onIdleClientError: (error: Error) => void },
): Promise<EventBus> {
  if (config.NATS_URL) {
    return natsBus(config.NATS_URL.split(','), {
      name: options.name,
      stream: config.NATS_STREAM,
      replicas: config.NATS_STREAM_REPLICAS,
    });
  }
  if (config.BUS_DATABASE_URL) return postgresBus(config.BUS_DATABASE_URL, options);
  throw new ConfigError(
    'BUS_DATABASE_URL: missing, expected a postgres:// URL of the bus database (or set NATS_URL)',
  );
}
