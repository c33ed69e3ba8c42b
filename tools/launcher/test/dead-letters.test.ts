import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { migrate } from '@bazaar/db/migrations';
import { createTestDatabase, type TestDatabase } from '@bazaar/db/test-database';
import { busMigrations } from '@bazaar/events/postgres-bus';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';

const root = new URL('../../../', import.meta.url);
let bus: TestDatabase;

beforeAll(async () => {
  bus = await createTestDatabase(inject('postgresUrl'));
  await migrate(bus.pool, [busMigrations]);
});

afterAll(() => bus.drop());

async function deadLetters(...args: string[]) {
  const { NATS_URL: _nats, ...env } = process.env;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['tools/launcher/dist/commands/dead-letters.js', ...args],
    { cwd: root, env: { ...env, BUS_DATABASE_URL: bus.url } },
  );
  return stdout;
}

test('lists the dead letters of the bus and marks them for replay to their consumer', async () => {
  expect(await deadLetters('list')).toBe('no dead letters\n');
  const id = randomUUID();
  const event = {
    specversion: '1.0',
    id,
    source: 'orders',
    type: 'order.shipped.v1',
    subject: id,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: { orderId: id, userId: id, carrier: 'DHL', trackingNumber: 'X1' },
  };
  await bus.pool.query(
    `INSERT INTO dead_letters (consumer, event_id, event, error, attempts)
     VALUES ('notifications', $1, $2, 'Error: SMTP refused', 5)`,
    [id, JSON.stringify(event)],
  );

  const listed = await deadLetters('list', '--consumer', 'notifications');
  expect(listed).toContain(
    `notifications  order.shipped.v1  ${id}  attempts=5  Error: SMTP refused`,
  );
  const json = JSON.parse(await deadLetters('list', '--json'));
  expect(json).toEqual([expect.objectContaining({ consumer: 'notifications', event })]);

  expect(await deadLetters('replay', '--consumer', 'notifications', id)).toBe(
    'replayed 1 dead letter(s) to notifications\n',
  );
  const { rows } = await bus.pool.query('SELECT replay_requested_at FROM dead_letters');
  expect(rows[0].replay_requested_at).toBeInstanceOf(Date);
  expect(await deadLetters('list')).toBe('no dead letters\n');
});

test('a replay without a consumer is refused with one line', async () => {
  await expect(deadLetters('replay')).rejects.toMatchObject({
    code: 1,
    stderr: 'dead-letters: replay needs --consumer NAME\n',
  });
});
