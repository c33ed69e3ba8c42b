import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { CloudEvent } from './cloud-event.js';
import type { DeadLetter, EventBus } from './event-bus.js';
import {
  applyOnceThroughOutages,
  defaultMaxAttempts,
  rejection,
  retryDelay,
  type Subscription,
} from './inbox.js';

/** The subjects of one stream: `order.confirmed.v1` travels on `bazaar.order.confirmed.v1`. */
function subjectsOf(stream: string) {
  return {
    all: `${stream}.>`,
    event: (type: string) => `${stream}.${type}`,
    /** Where a consumer's dead letters wait. */
    dead: (consumer: string) => `${stream}.dead.${consumer}`,
    /** Where a replay hands letters back to that one consumer. */
    replay: (consumer: string) => `${stream}.replay.${consumer}`,
  };
}
type Subjects = ReturnType<typeof subjectsOf>;

type StoredDeadLetter = Omit<DeadLetter, 'consumer'>;

/** The NATS client library, loaded only when NATS carries the events: a shop on the PostgreSQL log never loads it. */
type NatsClient = typeof import('@nats-io/jetstream') & typeof import('@nats-io/transport-node');

async function loadNatsClient(): Promise<NatsClient> {
  const [jetstreamApi, transport] = await Promise.all([
    import('@nats-io/jetstream'),
    import('@nats-io/transport-node'),
  ]);
  return { ...jetstreamApi, ...transport };
}

/**
 * JetStream: one stream (`bazaar`, subjects `bazaar.>`), `Nats-Msg-Id` = event id so a republished event is
 * stored once, a durable pull consumer per service with explicit acks. A failed event comes back
 * after a growing delay (`nak`); after the last attempt it is published to the consumer's dead
 * subject and acked.
 */
export async function natsBus(
  servers: string[],
  options: { name: string; stream: string; replicas?: number },
): Promise<EventBus> {
  const { stream } = options;
  const subjects = subjectsOf(stream);
  const nats = await loadNatsClient();
  const connection = await nats.connect({
    servers,
    name: options.name,
    // Keep trying through a NATS restart; publishes wait in the outbox meanwhile.
    maxReconnectAttempts: -1,
    // A server cut off by a partition closes nothing: the connection is known dead when two
    // pings go unanswered, 20 s here rather than the client's default 4 minutes.
    pingInterval: 10_000,
    maxPingOut: 2,
  });
  const manager = await nats.jetstreamManager(connection);
  await ensureStream(nats, manager, { stream, subjects, replicas: options.replicas ?? 1 });
  const client = nats.jetstream(connection);

  const publishOne = async (subject: string, body: unknown, msgID: string) => {
    await client.publish(subject, JSON.stringify(body), { msgID });
  };

  const readDeadLetters = async (consumer?: string) => {
    const subject = subjects.dead(consumer ?? '*');
    const info = await manager.streams.info(stream, { subjects_filter: subject });
    const total = Object.values(info.state.subjects ?? {}).reduce((sum, n) => sum + n, 0);
    const letters: Array<DeadLetter & { seq: number }> = [];
    if (total === 0) return letters;
    const reader = await client.consumers.get(stream, { filter_subjects: subject });
    const messages = await reader.fetch({ max_messages: total, expires: 5000 });
    for await (const message of messages) {
      const stored = message.json<StoredDeadLetter>();
      letters.push({
        ...stored,
        consumer: message.subject.slice(subjects.dead('').length),
        seq: message.seq,
      });
      if (message.info.pending === 0) break;
    }
    return letters;
  };

  return {
    transport: 'nats',
    async publish(events) {
      await Promise.all(
        events.map((event) => publishOne(subjects.event(event.type), event, event.id)),
      );
    },
    async subscribe(subscription) {
      return startNatsConsumer(
        { api: nats, client, manager, stream, subjects },
        subscription,
        async (event, error, attempts) => {
          subscription.onDeadLetter?.(event);
          const letter: StoredDeadLetter = {
            event,
            error,
            attempts,
            failedAt: new Date().toISOString(),
          };
          await publishOne(
            subjects.dead(subscription.consumer),
            letter,
            `dead:${subscription.consumer}:${event.id}:${letter.failedAt}`,
          );
        },
      );
    },
    async lag(consumer, types) {
      let pending = 0;
      for (const type of types) {
        const name = `${consumer}__${type.replaceAll('.', '_')}`;
        const info = await manager.consumers.info(stream, name).catch(() => undefined);
        pending += (info?.num_pending ?? 0) + (info?.num_ack_pending ?? 0);
      }
      return pending;
    },
    async deadLetters(consumer) {
      return (await readDeadLetters(consumer)).map(({ seq: _seq, ...letter }) => letter);
    },
    async replay(consumer, eventIds) {
      const wanted = eventIds && new Set(eventIds);
      let replayed = 0;
      for (const letter of await readDeadLetters(consumer)) {
        if (wanted && !wanted.has(letter.event.id)) continue;
        // The letter's sequence makes the id unique yet stable, so a replay repeated after a
        // crash does not deliver the event twice.
        await publishOne(subjects.replay(consumer), letter.event, `replay:${letter.seq}`);
        await manager.streams.deleteMessage(stream, letter.seq);
        replayed += 1;
      }
      return replayed;
    },
    async close() {
      await connection.drain();
    },
  };
}

/**
 * The stream, made on first use; a shop that grew onto a cluster gets the copies it asks for by
 * an update in place, which JetStream carries out without losing a message.
 */
async function ensureStream(
  nats: NatsClient,
  manager: JetStreamManager,
  wanted: { stream: string; subjects: Subjects; replicas: number },
): Promise<void> {
  const { stream, subjects, replicas } = wanted;
  const info = await manager.streams.info(stream).catch((error: unknown) => {
    if (isApiError(nats, error, nats.JetStreamApiCodes.StreamNotFound)) return undefined;
    throw error;
  });
  if (!info) {
    await manager.streams.add({ name: stream, subjects: [subjects.all], num_replicas: replicas });
  } else if (info.config.num_replicas !== replicas) {
    await manager.streams.update(stream, { num_replicas: replicas });
  }
}

/**
 * One durable pull consumer per subscribed subject (`catalog__inventory_stock_availability_v1`),
 * plus one for replays: a single filter subject each, which every JetStream server since 2.9 takes.
 */
async function startNatsConsumer(
  nats: {
    api: NatsClient;
    client: JetStreamClient;
    manager: JetStreamManager;
    stream: string;
    subjects: Subjects;
  },
  subscription: Subscription,
  deadLetter: (event: CloudEvent, error: string, attempts: number) => Promise<void>,
): Promise<() => Promise<void>> {
  const maxAttempts = subscription.maxAttempts ?? defaultMaxAttempts;
  const durables = [
    ...Object.keys(subscription.handlers).map((type) => ({
      name: `${subscription.consumer}__${type.replaceAll('.', '_')}`,
      subject: nats.subjects.event(type),
    })),
    {
      name: `${subscription.consumer}__replay`,
      subject: nats.subjects.replay(subscription.consumer),
    },
  ];

  let running = true;
  const handle = async (message: JsMsg) => {
    let event: CloudEvent | undefined;
    try {
      event = message.json<CloudEvent>();
      const rejected = rejection(subscription, event);
      if (rejected) {
        await deadLetter(event, rejected, 0);
        message.ack();
        return;
      }
      await applyOnceThroughOutages(subscription, event, 'nats', {
        running: () => running,
        onWait: () => message.working(),
      });
      message.ack();
    } catch (error) {
      subscription.onError(error, event);
      const attempt = message.info.deliveryCount;
      if (event && attempt >= maxAttempts && running) {
        await deadLetter(event, String(error), attempt).then(
          () => message.ack(),
          (failure: unknown) => subscription.onError(failure, event),
        );
      } else {
        message.nak(retryDelay(subscription, attempt));
      }
    }
  };

  const loops = await Promise.all(
    durables.map(async ({ name, subject }) => {
      await ensureConsumer(nats, name, {
        filter_subject: subject,
        ack_wait: nats.api.nanos(30_000),
        // One more than the attempts, so a process that dies during the last one still writes
        // the letter.
        max_deliver: maxAttempts + 1,
      });
      const consumer = await nats.client.consumers.get(nats.stream, name);
      const messages = await consumer.consume({ max_messages: 100 });
      const done = (async () => {
        for await (const message of messages) await handle(message);
      })();
      return { messages, done };
    }),
  );
  return async () => {
    running = false;
    await Promise.all(loops.map(({ messages }) => messages.close()));
    await Promise.all(loops.map(({ done }) => done));
  };
}

async function ensureConsumer(
  nats: { api: NatsClient; manager: JetStreamManager; stream: string },
  name: string,
  config: { filter_subject: string; ack_wait: number; max_deliver: number },
): Promise<void> {
  try {
    await nats.manager.consumers.info(nats.stream, name);
    await nats.manager.consumers.update(nats.stream, name, config);
  } catch (error) {
    if (!isApiError(nats.api, error, nats.api.JetStreamApiCodes.ConsumerNotFound)) throw error;
    await nats.manager.consumers.add(nats.stream, {
      durable_name: name,
      ack_policy: nats.api.AckPolicy.Explicit,
      deliver_policy: nats.api.DeliverPolicy.All,
      ...config,
    });
  }
}

function isApiError(nats: NatsClient, error: unknown, code: number): boolean {
  return error instanceof nats.JetStreamApiError && error.code === code;
}
