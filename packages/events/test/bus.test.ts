import { randomUUID } from 'node:crypto';
import { migrate } from '@bazaar/db/migrations';
import { createPool, type Pool } from '@bazaar/db/pool';
import { statementsSent } from '@bazaar/db/statement-counts';
import { createTestDatabase, type TestDatabase } from '@bazaar/db/test-database';
import { parseConfig } from '@bazaar/service-kit/config';
import { until } from '@bazaar/testing/until';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Type } from 'typebox';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, test } from 'vitest';
import { busConfig } from '../src/bus.js';
import type { CloudEvent } from '../src/cloud-event.js';
import type { EventBus } from '../src/event-bus.js';
import type { EventHandler, Subscription } from '../src/inbox.js';
import { natsBus } from '../src/nats-bus.js';
import { addToOutbox, outboxPart } from '../src/outbox.js';
import { outboxChannel, relayOutbox, startOutboxRelay } from '../src/outbox-relay.js';
import { busMigrations, postgresBus, publishToPostgres } from '../src/postgres-bus.js';

let bus: TestDatabase;
let producer: TestDatabase;
let consumer: TestDatabase;

beforeAll(async () => {
  [bus, producer, consumer] = await Promise.all([
    createTestDatabase(inject('postgresUrl')),
    createTestDatabase(inject('postgresUrl')),
    createTestDatabase(inject('postgresUrl')),
  ]);
  await migrate(bus.pool, [busMigrations]);
  await producer.pool.query(`CREATE TABLE outbox (id uuid PRIMARY KEY, type text NOT NULL, subject text NOT NULL,
    data jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), published_at timestamptz,
    traceparent text)`);
  await consumer.pool.query(`
    CREATE TABLE inbox (consumer text, event_id uuid, processed_at timestamptz NOT NULL DEFAULT now(),
                        PRIMARY KEY (consumer, event_id));
    CREATE TABLE greetings (user_id uuid NOT NULL, email text NOT NULL)`);
});

afterAll(async () => {
  await Promise.all([bus.drop(), producer.drop(), consumer.drop()]);
});

beforeEach(async () => {
  await bus.pool.query('TRUNCATE events, consumer_positions, dead_letters');
  await producer.pool.query('TRUNCATE outbox');
  await consumer.pool.query('TRUNCATE inbox, greetings');
});

const publish = (events: readonly CloudEvent[]) => publishToPostgres(bus.pool, events);
const postgresLog = { transport: 'postgres' as const, publish };
const registered = (userId = randomUUID()) => ({
  type: 'identity.user.registered.v1' as const,
  subject: userId,
  data: { userId, email: `${userId}@example.com`, name: 'Ada' },
});
const count = async (db: TestDatabase, sql: string) => Number((await db.pool.query(sql)).rows[0].n);

async function relayAll(): Promise<void> {
  while (
    (await relayOutbox(producer.pool, postgresLog, { source: 'identity', batchSize: 25 })) > 0
  ) {}
}

describe('the outbox relay', () => {
  test('publishes every committed event once, and nothing rolled back', async () => {
    for (let index = 0; index < 30; index += 1) await addToOutbox(producer.pool, registered());
    const client = await producer.pool.connect();
    await client.query('BEGIN');
    await addToOutbox(client, registered());
    await client.query('ROLLBACK');
    client.release();

    await relayAll();
    expect(await count(bus, 'SELECT count(*) AS n FROM events')).toBe(30);
    expect(
      await count(producer, 'SELECT count(*) AS n FROM outbox WHERE published_at IS NULL'),
    ).toBe(0);
    const [event] = (await bus.pool.query('SELECT source, type FROM events LIMIT 1')).rows;
    expect(event).toEqual({ source: 'identity', type: 'identity.user.registered.v1' });
  });

  test('an idle relay looks with one statement and no transaction; a commit adding an event wakes it at once, though its fallback is a minute away', async () => {
    const pool = createPool(producer.url, {
      applicationName: 'idle-relay',
      onIdleClientError: () => {},
    });
    const counts = () => ({
      ...(statementsSent().get('idle-relay') ?? { statements: 0, transactions: 0 }),
    });
    const before = counts();
    expect(await relayOutbox(pool, postgresLog, { source: 'identity' })).toBe(0);
    expect(counts()).toEqual({
      statements: before.statements + 1,
      transactions: before.transactions,
    });

    const stop = startOutboxRelay({
      db: pool,
      listenDb: pool,
      bus: postgresLog,
      source: 'identity',
      intervalMs: 60_000,
      onError: () => {},
    });
    try {
      // LISTEN, then the first look.
      await until(() => counts().statements >= before.statements + 3);
      const started = Date.now();
      await addToOutbox(producer.pool, registered());
      await until(async () => (await count(bus, 'SELECT count(*) AS n FROM events')) === 1, 5000);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await stop();
      await pool.end();
    }
  });

  test('a change and its event in one statement: two racing to make the change announce it once, and the relay is woken', async () => {
    await producer.pool.query(
      'CREATE TABLE IF NOT EXISTS accounts (id uuid PRIMARY KEY, registered boolean NOT NULL)',
    );
    const event = registered();
    await producer.pool.query('INSERT INTO accounts VALUES ($1, false)', [event.data.userId]);
    const register = () => {
      const outbox = outboxPart([event], {
        firstParameter: 2,
        when: 'EXISTS (SELECT FROM changed)',
      });
      return producer.pool.query(
        `WITH changed AS (UPDATE accounts SET registered = true WHERE id = $1 AND NOT registered
                          RETURNING id), ${outbox.parts}
         SELECT id, ${outbox.notified} AS notified FROM changed`,
        [event.data.userId, ...outbox.values],
      );
    };
    const listener = await producer.pool.connect();
    const woken: string[] = [];
    listener.on('notification', (notification) => woken.push(notification.channel));
    await listener.query(`LISTEN ${outboxChannel}`);
    try {
      const answers = await Promise.all([register(), register()]);
      expect(answers.map((answer) => answer.rowCount).sort()).toEqual([0, 1]);
      expect(await count(producer, 'SELECT count(*) AS n FROM outbox')).toBe(1);
      await until(() => woken.length === 1);
    } finally {
      await listener.query('UNLISTEN *');
      listener.release();
    }
  });

  test('two relays racing over the same outbox: the bus holds each event once', async () => {
    for (let index = 0; index < 200; index += 1) await addToOutbox(producer.pool, registered());
    await Promise.all([relayAll(), relayAll()]);
    expect(await count(bus, 'SELECT count(DISTINCT id) AS n FROM events')).toBe(200);
    expect(await count(bus, 'SELECT count(*) AS n FROM events')).toBe(200);
  });

  test('an event published again after a crash is stored once', async () => {
    await addToOutbox(producer.pool, registered());
    let published: readonly CloudEvent[] = [];
    await relayOutbox(
      producer.pool,
      {
        transport: 'postgres',
        publish: async (events) => {
          published = events;
          await publish(events);
        },
      },
      { source: 'identity' },
    );
    await publish(published);
    expect(await count(bus, 'SELECT count(*) AS n FROM events')).toBe(1);
  });

  test('data that breaks its contract is refused when written', async () => {
    const event = registered();
    await expect(
      addToOutbox(producer.pool, { ...event, data: { ...event.data, userId: 'not-a-uuid' } }),
    ).rejects.toThrow('identity.user.registered.v1 breaks its contract');
  });
});

describe('the PostgreSQL log', () => {
  const asEvent = (type: string, data: unknown): CloudEvent => ({
    specversion: '1.0',
    id: randomUUID(),
    source: 'identity',
    type,
    subject: 'x',
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data,
  });
  const greetings = () => count(consumer, 'SELECT count(*) AS n FROM greetings');

  async function consume(
    name: string,
    types: readonly string[],
    {
      db = consumer.pool,
      fails = () => false,
      handling = async () => {},
    }: {
      db?: Pool;
      fails?: (email: string) => boolean;
      /** Awaited as each event is handled. */
      handling?: (email: string) => Promise<void>;
    } = {},
  ) {
    const eventBus = postgresBus(bus.url, { name, onIdleClientError: () => {} });
    const handler: EventHandler = async (trx, event) => {
      const data = event.data as { userId: string; email: string };
      await trx.query('INSERT INTO greetings (user_id, email) VALUES ($1, $2)', [
        data.userId,
        data.email,
      ]);
      await handling(data.email);
      if (fails(data.email)) throw new Error(`greeting ${data.email} failed`);
    };
    const stop = await eventBus.subscribe({
      consumer: `${name}_${randomUUID().slice(0, 8)}`,
      db,
      retryDelayMs: 10,
      handlers: Object.fromEntries(types.map((type) => [type, handler])),
      onError: () => {},
    });
    return async () => {
      await stop();
      await eventBus.close();
    };
  }

  test('an append that commits after a later one began is still read: appends take turns', async () => {
    const stop = await consume('turns', ['identity.user.registered.v1']);
    const slow = await bus.pool.connect();
    try {
      await slow.query('BEGIN');
      await publishToPostgres(slow, [asEvent('identity.user.registered.v1', registered().data)]);
      const later = publishToPostgres(bus.pool, [
        asEvent('identity.user.registered.v1', registered().data),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await slow.query('COMMIT');
      await later;
      await until(async () => (await greetings()) === 2);
    } finally {
      slow.release();
      await stop();
    }
  });

  test('a page of events is applied in one transaction; when one of them fails, the others are applied and it is retried alone', async () => {
    const db = createPool(consumer.url, { applicationName: 'page', onIdleClientError: () => {} });
    const sent = () => statementsSent().get('page') ?? { statements: 0, transactions: 0 };
    const page = Array.from({ length: 20 }, () =>
      asEvent('identity.user.registered.v1', registered().data),
    );
    await publishToPostgres(bus.pool, page);
    let stop = await consume('page', ['identity.user.registered.v1'], { db });
    await until(async () => (await greetings()) === 20);
    await stop();
    expect(sent().transactions).toBe(1);

    const unlucky = registered().data;
    let failures = 0;
    await publishToPostgres(bus.pool, [
      ...page.slice(0, 2).map((event) => ({ ...event, id: randomUUID() })),
      asEvent('identity.user.registered.v1', unlucky),
    ]);
    stop = await consume('page', ['identity.user.registered.v1'], {
      db,
      fails: (email) => email === unlucky.email && ++failures <= 2,
    });
    try {
      await until(async () => (await greetings()) === 20 + 20 + 3);
      expect(
        (
          await consumer.pool.query('SELECT count(*) AS n FROM greetings WHERE email = $1', [
            unlucky.email,
          ])
        ).rows[0].n,
      ).toBe('1');
      expect(failures).toBe(3);
    } finally {
      await stop();
      await db.end();
    }
  });

  test('while events keep coming, a consumer writes its position with its next read; once they stop, with one statement', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = registered().data;
    const stop = await consume('busy', ['identity.user.registered.v1'], {
      handling: (email) => (email === first.email ? held : Promise.resolve()),
    });
    const sent = () => statementsSent().get('busy bus')?.statements ?? 0;
    try {
      await until(() => sent() >= 5);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const before = sent();
      await publishToPostgres(bus.pool, [asEvent('identity.user.registered.v1', first)]);
      // The first page is read; its event waits in the handler while the next one is appended.
      await until(() => sent() === before + 1);
      await publishToPostgres(bus.pool, [
        asEvent('identity.user.registered.v1', registered().data),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      release();
      await until(async () => (await greetings()) === 2);
      // The second read, carrying the first page's move, then the second page's move.
      await until(() => sent() === before + 3);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(sent()).toBe(before + 3);
      const { rows } = await bus.pool.query(
        `SELECT (SELECT max(position) FROM events) = p.position AS caught_up
           FROM consumer_positions p WHERE p.consumer LIKE 'busy%'`,
      );
      expect(rows).toEqual([{ caught_up: true }]);
    } finally {
      await stop();
    }
  });

  test('a consumer looks only when events of its types are appended, with one read and one move of its position', async () => {
    const stop = await consume('looker', ['identity.user.registered.v1']);
    const sent = () => statementsSent().get('looker bus')?.statements ?? 0;
    try {
      // Taking the lead, LISTEN, its position, its first look at the letters and the log.
      await until(() => sent() >= 5);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const before = sent();
      for (let index = 0; index < 20; index += 1) {
        await publishToPostgres(bus.pool, [asEvent('order.confirmed.v1', {})]);
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(sent()).toBe(before);
      await publishToPostgres(bus.pool, [
        asEvent('identity.user.registered.v1', registered().data),
      ]);
      await until(async () => (await greetings()) === 1);
      await until(() => sent() === before + 2);
    } finally {
      await stop();
    }
  });
});

type Transport = {
  name: string;
  open: () => Promise<EventBus>;
  /** How many events the transport stores (dead letters aside). */
  storedEvents: () => Promise<number>;
  /** Makes the consumer read everything again from the start, as after a lost position. */
  rewind: (consumer: string) => Promise<void>;
  /** Forgets every event of earlier tests. */
  purge: () => Promise<void>;
  dispose: () => Promise<void>;
};

const postgresTransport: Transport = {
  name: 'PostgreSQL log',
  open: async () => postgresBus(bus.url, { name: 'test', onIdleClientError: () => {} }),
  storedEvents: () => count(bus, 'SELECT count(*) AS n FROM events'),
  rewind: async (consumer) => {
    await bus.pool.query('UPDATE consumer_positions SET position = 0 WHERE consumer = $1', [
      consumer,
    ]);
  },
  purge: async () => {},
  dispose: async () => {},
};

function natsTransport(url: string): Transport {
  const stream = `test_${randomUUID().slice(0, 8)}`;
  const connection = connect({ servers: url });
  const manager = connection.then((nc) => jetstreamManager(nc));
  return {
    name: 'NATS JetStream',
    open: () => natsBus([url], { name: 'test', stream }),
    storedEvents: async () => {
      const info = await (await manager).streams.info(stream, { subjects_filter: `${stream}.>` });
      return Object.entries(info.state.subjects ?? {})
        .filter(([subject]) => !subject.startsWith(`${stream}.dead.`))
        .reduce((sum, [, n]) => sum + n, 0);
    },
    rewind: async (consumer) => {
      const jsm = await manager;
      for await (const info of jsm.consumers.list(stream)) {
        if (info.name.startsWith(`${consumer}__`)) await jsm.consumers.delete(stream, info.name);
      }
    },
    purge: async () => {
      await (await manager).streams.purge(stream);
    },
    dispose: async () => {
      await (await manager).streams.delete(stream).catch(() => undefined);
      await (await connection).close();
    },
  };
}

const transports = [
  postgresTransport,
  ...(process.env.NATS_URL ? [natsTransport(process.env.NATS_URL)] : []),
];

describe.each(transports)('on the $name', (transport) => {
  let eventBus: EventBus;
  const stops: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    eventBus = await transport.open();
  });
  afterAll(async () => {
    await eventBus.close();
    await transport.dispose();
  });
  afterEach(async () => {
    await Promise.all(stops.splice(0).map((stop) => stop()));
  });

  const greet: EventHandler = async (trx, event) => {
    const data = event.data as { userId: string; email: string };
    await trx.query('INSERT INTO greetings (user_id, email) VALUES ($1, $2)', [
      data.userId,
      data.email,
    ]);
  };

  /** A fresh consumer name per test, so one test's position or letters never reach another. */
  let consumerName = '';
  beforeEach(async () => {
    await transport.purge();
    consumerName = `notifications_${randomUUID().slice(0, 8)}`;
  });

  async function subscribe(
    handlers: Record<string, EventHandler>,
    hooks: Pick<Subscription, 'onRedelivered'> = {},
  ) {
    const stop = await eventBus.subscribe({
      consumer: consumerName,
      db: consumer.pool,
      handlers,
      maxAttempts: 3,
      retryDelayMs: 10,
      onError: () => {},
      ...hooks,
    });
    stops.push(stop);
    return stop;
  }

  async function publishAll(events: Array<ReturnType<typeof registered>>) {
    for (const event of events) await addToOutbox(producer.pool, event);
    while ((await relayOutbox(producer.pool, eventBus, { source: 'identity' })) > 0) {}
  }

  const greetings = () => count(consumer, 'SELECT count(*) AS n FROM greetings');

  test('an event published twice is stored once', async () => {
    const before = await transport.storedEvents();
    const event = {
      specversion: '1.0' as const,
      id: randomUUID(),
      source: 'identity',
      type: 'identity.user.registered.v1',
      subject: 'x',
      time: new Date().toISOString(),
      datacontenttype: 'application/json' as const,
      data: registered().data,
    };
    await eventBus.publish([event]);
    await eventBus.publish([event]);
    expect(await transport.storedEvents()).toBe(before + 1);
  });

  test('applies each event once, even when the bus delivers it again', async () => {
    await publishAll(Array.from({ length: 20 }, () => registered()));
    const stop = await subscribe({ 'identity.user.registered.v1': greet });
    await until(async () => (await greetings()) === 20);
    await stop();

    await transport.rewind(consumerName);
    const redelivered = new Set<string>();
    await subscribe(
      { 'identity.user.registered.v1': greet },
      { onRedelivered: (event) => redelivered.add(event.id) },
    );
    await until(() => redelivered.size === 20);
    expect(await greetings()).toBe(20);
  });

  test('delivers an event published after the consumer started', async () => {
    await subscribe({ 'identity.user.registered.v1': greet });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await publishAll([registered()]);
    await until(async () => (await greetings()) === 1);
  });

  test('a handler that fails twice and then succeeds applies the event once', async () => {
    let calls = 0;
    await publishAll([registered()]);
    await subscribe({
      'identity.user.registered.v1': async (trx, event) => {
        calls += 1;
        if (calls < 3) throw new Error('SMTP server is busy');
        await greet(trx, event);
      },
    });
    await until(async () => (await greetings()) === 1);
    expect(calls).toBe(3);
  });

  test('the consumer database out of reach for longer than all the attempts: the event waits for it, no dead letter, applied once', async () => {
    let outage = 8;
    await publishAll([registered()]);
    await subscribe({
      'identity.user.registered.v1': async (trx, event) => {
        outage -= 1;
        // What a pool says of a database cut off by a partition.
        if (outage > 0) throw new Error('Query read timeout');
        await greet(trx, event);
      },
    });
    await until(async () => (await greetings()) === 1);
    expect(outage).toBe(0);
    expect(await eventBus.deadLetters(consumerName)).toEqual([]);
  });

  test('an event that keeps failing becomes a dead letter, the next events still flow, and a replay applies it', async () => {
    const poisoned = registered();
    let broken = true;
    await publishAll([poisoned, registered()]);
    await subscribe({
      'identity.user.registered.v1': async (trx, event) => {
        if (broken && event.subject === poisoned.subject)
          throw new Error('cannot render this email');
        await greet(trx, event);
      },
    });
    await until(async () => (await eventBus.deadLetters(consumerName)).length === 1);
    // The next event flows once the poisoned one is set aside.
    await until(async () => (await greetings()) === 1);
    const [letter] = await eventBus.deadLetters(consumerName);
    expect(letter).toMatchObject({
      consumer: consumerName,
      error: 'Error: cannot render this email',
      attempts: 3,
      event: { type: 'identity.user.registered.v1', subject: poisoned.subject },
    });

    broken = false;
    expect(await eventBus.replay(consumerName)).toBe(1);
    await until(async () => (await greetings()) === 2);
    await until(async () => (await eventBus.deadLetters(consumerName)).length === 0);
  });

  test('an event whose data breaks its contract goes to the dead letters without reaching the handler', async () => {
    let calls = 0;
    await eventBus.publish([
      {
        specversion: '1.0',
        id: randomUUID(),
        source: 'somewhere',
        type: 'identity.user.registered.v1',
        subject: 'x',
        time: new Date().toISOString(),
        datacontenttype: 'application/json',
        data: { userId: 42 },
      },
    ]);
    await subscribe({
      'identity.user.registered.v1': async () => {
        calls += 1;
      },
    });
    await until(async () => (await eventBus.deadLetters(consumerName)).length === 1);
    const [letter] = await eventBus.deadLetters(consumerName);
    expect(letter?.error).toMatch(/userId/);
    expect(calls).toBe(0);
  });

  test('the lag counts what a stopped consumer has not read, and falls to 0 once it has', async () => {
    const handlers = { 'identity.user.registered.v1': greet };
    const stop = await subscribe(handlers);
    await publishAll([registered()]);
    await until(async () => (await greetings()) === 1);
    await stop();
    await publishAll([registered(), registered()]);
    expect(await eventBus.lag(consumerName, Object.keys(handlers))).toBe(2);
    await subscribe(handlers);
    await until(async () => (await eventBus.lag(consumerName, Object.keys(handlers))) === 0);
    expect(await greetings()).toBe(3);
  });

  test('two replicas of a consumer apply each event exactly once', async () => {
    await publishAll(Array.from({ length: 50 }, () => registered()));
    await subscribe({ 'identity.user.registered.v1': greet });
    await subscribe({ 'identity.user.registered.v1': greet });
    await until(async () => (await greetings()) === 50);
    expect(
      await count(consumer, `SELECT count(*) AS n FROM inbox WHERE consumer = '${consumerName}'`),
    ).toBe(50);
  });
});

describe('settings', () => {
  const read = (env: Record<string, string>) => parseConfig(Type.Object(busConfig), env);

  test('NATS_URL takes one server or a cluster of them; the stream its copies', () => {
    expect(
      read({ NATS_URL: 'nats://nats-1:4222,nats://nats-2:4222', NATS_STREAM_REPLICAS: '3' }),
    ).toMatchObject({ NATS_URL: 'nats://nats-1:4222,nats://nats-2:4222', NATS_STREAM_REPLICAS: 3 });
    expect(read({ NATS_URL: 'nats://nats:4222' }).NATS_STREAM_REPLICAS).toBe(1);
  });

  test.for<[string, string]>([
    ['NATS_URL', 'nats://nats-1:4222, nats://nats-2:4222'],
    ['NATS_URL', 'nats://nats-1:4222,'],
    ['NATS_URL', 'http://nats:4222'],
    ['NATS_STREAM_REPLICAS', '0'],
    ['NATS_STREAM_REPLICAS', '6'],
  ])('%s=%s stops the process at boot with a line naming it', ([name, value]) => {
    expect(() => read({ NATS_URL: 'nats://nats:4222', [name]: value })).toThrow(
      new RegExp(`^${name}: expected`),
    );
  });
});
