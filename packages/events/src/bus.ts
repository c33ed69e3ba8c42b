import { ConfigError, postgresUrlSetting } from '@bazaar/service-kit/config';
import { type Static, type TObject, type TProperties, Type } from 'typebox';
import type { EventBus } from './event-bus.js';
import { natsBus } from './nats-bus.js';
import { postgresBus } from './postgres-bus.js';

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
    default: 5000,
    minimum: 10,
    description:
      'milliseconds between looks at the outbox when no commit announced events (at least 10): a fallback, since each commit that adds events wakes the relay at once',
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
