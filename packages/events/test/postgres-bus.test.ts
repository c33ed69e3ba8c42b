import { randomUUID } from 'node:crypto';
import { migrate } from '@bazaar/db/migrations';
import { createTestDatabase, type TestDatabase } from '@bazaar/db/test-database';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, test } from 'vitest';
import type { CloudEvent } from '../src/cloud-event.js';
import { addToOutbox } from '../src/outbox.js';
import { relayOutbox } from '../src/outbox-relay.js';
import { busMigrations, publishToPostgres } from '../src/postgres-bus.js';
import { type EventHandler, startPostgresConsumer } from '../src/postgres-consumer.js';

let bus: TestDatabase;
let producer: TestDatabase;
let consumer: TestDatabase;

beforeAll(async () => {
  [bus, producer, consumer] = await Promise.all([
    createTestDatabase(inject('postgresUrl')),
    createTestDatabase(inject('postgresUrl')),
    createTestDatabase(inject('postgresUrl')),
  ]);
  await migrate(bus.pool, busMigrations);
  await producer.pool.query(`CREATE TABLE outbox (id uuid PRIMARY KEY, type text NOT NULL, subject text NOT NULL,
    data jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), published_at timestamptz)`);
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

const publish = (events: CloudEvent[]) => publishToPostgres(bus.pool, events);
const registered = (userId = randomUUID()) => ({
  type: 'identity.user.registered.v1' as const,
  subject: userId,
  data: { userId, email: `${userId}@example.com`, name: 'Ada' },
});
const count = async (db: TestDatabase, sql: string) => Number((await db.pool.query(sql)).rows[0].n);

async function relayAll(): Promise<void> {
  while ((await relayOutbox(producer.pool, publish, { source: 'identity', batchSize: 25 })) > 0) {}
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

  test('two relays racing publish each event exactly once', async () => {
    for (let index = 0; index < 200; index += 1) await addToOutbox(producer.pool, registered());
    await Promise.all([relayAll(), relayAll()]);
    expect(await count(bus, 'SELECT count(DISTINCT id) AS n FROM events')).toBe(200);
    expect(await count(bus, 'SELECT count(*) AS n FROM events')).toBe(200);
  });

  test('an event published again after a crash is stored once', async () => {
    await addToOutbox(producer.pool, registered());
    let published: CloudEvent[] = [];
    await relayOutbox(
      producer.pool,
      async (events) => {
        published = events;
        await publish(events);
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

describe('a consumer', () => {
  const greet: EventHandler = async (trx, event) => {
    const data = event.data as { userId: string; email: string };
    await trx.query('INSERT INTO greetings (user_id, email) VALUES ($1, $2)', [
      data.userId,
      data.email,
    ]);
  };

  function start(handlers: Record<string, EventHandler>, errors: unknown[] = []) {
    return startPostgresConsumer({
      bus: bus.pool,
      db: consumer.pool,
      consumer: 'notifications',
      handlers,
      maxAttempts: 3,
      retryDelayMs: 10,
      pollIntervalMs: 100,
      onError: (error) => errors.push(error),
    });
  }

  async function until(condition: () => Promise<boolean>) {
    const deadline = Date.now() + 10_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  test('applies each event once, even when the bus delivers it again', async () => {
    for (let index = 0; index < 20; index += 1) await addToOutbox(producer.pool, registered());
    await relayAll();
    stop = start({ 'identity.user.registered.v1': greet });
    await until(async () => (await count(consumer, 'SELECT count(*) AS n FROM greetings')) === 20);

    await stop();
    await bus.pool.query(`UPDATE consumer_positions SET position = 0`);
    stop = start({ 'identity.user.registered.v1': greet });
    await until(
      async () =>
        (await count(
          bus,
          `SELECT count(*) AS n FROM consumer_positions WHERE position = (SELECT max(position) FROM events)`,
        )) === 1,
    );
    expect(await count(consumer, 'SELECT count(*) AS n FROM greetings')).toBe(20);
  });

  test('wakes up on a new event without waiting for the poll', async () => {
    stop = start({ 'identity.user.registered.v1': greet });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await addToOutbox(producer.pool, registered());
    await relayAll();
    await until(async () => (await count(consumer, 'SELECT count(*) AS n FROM greetings')) === 1);
  });

  test('a handler that fails twice and then succeeds applies the event once', async () => {
    let calls = 0;
    const flaky: EventHandler = async (trx, event) => {
      calls += 1;
      if (calls < 3) throw new Error('SMTP server is busy');
      await greet(trx, event);
    };
    await addToOutbox(producer.pool, registered());
    await relayAll();
    stop = start({ 'identity.user.registered.v1': flaky });
    await until(async () => (await count(consumer, 'SELECT count(*) AS n FROM greetings')) === 1);
    expect(calls).toBe(3);
  });

  test('an event that keeps failing becomes a dead letter, and the next events still flow', async () => {
    const poisoned = registered();
    const failing: EventHandler = async (trx, event) => {
      if (event.subject === poisoned.subject) throw new Error('cannot render this email');
      await greet(trx, event);
    };
    await addToOutbox(producer.pool, poisoned);
    await addToOutbox(producer.pool, registered());
    await relayAll();
    stop = start({ 'identity.user.registered.v1': failing });
    await until(async () => (await count(consumer, 'SELECT count(*) AS n FROM greetings')) === 1);
    const [letter] = (await bus.pool.query('SELECT event_id, error, attempts FROM dead_letters'))
      .rows;
    expect(letter).toMatchObject({ error: 'Error: cannot render this email', attempts: 3 });
  });

  test('an event whose data breaks its contract goes to the dead letters without reaching the handler', async () => {
    let calls = 0;
    await publish([
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
    stop = start({
      'identity.user.registered.v1': async () => {
        calls += 1;
      },
    });
    await until(async () => (await count(bus, 'SELECT count(*) AS n FROM dead_letters')) === 1);
    expect(calls).toBe(0);
  });

  test('a second replica waits while the first consumes, so no event is applied twice', async () => {
    for (let index = 0; index < 50; index += 1) await addToOutbox(producer.pool, registered());
    await relayAll();
    const stopOther = start({ 'identity.user.registered.v1': greet });
    stop = start({ 'identity.user.registered.v1': greet });
    await until(async () => (await count(consumer, 'SELECT count(*) AS n FROM greetings')) === 50);
    await stopOther();
    expect(await count(consumer, 'SELECT count(*) AS n FROM inbox')).toBe(50);
  });
});
