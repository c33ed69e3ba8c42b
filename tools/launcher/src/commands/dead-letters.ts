import { parseArgs } from 'node:util';
import { databaseUrl } from '@bazaar/db/server-admin';
import { busConfig, connectBus } from '@bazaar/events/bus';
import type { DeadLetter } from '@bazaar/events/event-bus';
import { parseConfig } from '@bazaar/service-kit/config';
import { Type } from 'typebox';
import { databaseNameOf, readConfig, serverUrlOf } from '../config.js';

const usage = `usage: npm run dead-letters -- list [--consumer NAME] [--json]
       npm run dead-letters -- replay --consumer NAME [EVENT_ID ...]

Lists the events a consumer gave up on, or hands them back to it. Talks to NATS when NATS_URL is
set, else to BUS_DATABASE_URL, else to the bus database of the local shop (npm start).`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { consumer: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
});
const [command, ...eventIds] = positionals;
if (values.help || (command !== 'list' && command !== 'replay')) {
  process.stderr.write(`${usage}\n`);
  process.exit(values.help ? 0 : 2);
}

try {
  const launcher = readConfig();
  const config = parseConfig(Type.Object(busConfig), {
    BUS_DATABASE_URL: databaseUrl(serverUrlOf(launcher), databaseNameOf(launcher, 'bus')),
    ...process.env,
  });
  const bus = await connectBus(config, { name: 'dead-letters', onIdleClientError: () => {} });
  try {
    if (command === 'list') print(await bus.deadLetters(values.consumer), values.json ?? false);
    else if (!values.consumer) throw new Error('replay needs --consumer NAME');
    else {
      const replayed = await bus.replay(
        values.consumer,
        eventIds.length > 0 ? eventIds : undefined,
      );
      say(`replayed ${replayed} dead letter(s) to ${values.consumer}`);
    }
  } finally {
    await bus.close();
  }
} catch (error) {
  process.stderr.write(`dead-letters: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

function say(line: string) {
  process.stdout.write(`${line}\n`);
}

function print(letters: DeadLetter[], json: boolean) {
  if (json) {
    say(JSON.stringify(letters, null, 2));
    return;
  }
  if (letters.length === 0) say('no dead letters');
  for (const letter of letters) {
    say(
      `${letter.failedAt}  ${letter.consumer}  ${letter.event.type}  ${letter.event.id}  attempts=${letter.attempts}  ${letter.error}`,
    );
  }
}
