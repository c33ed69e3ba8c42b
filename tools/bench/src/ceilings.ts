import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { databaseUrl, dropDatabase, ensureDatabase } from '@bazaar/db/server-admin';
import { freePort } from '@bazaar/testing/free-port';
import { hammer, type LoadFigures } from './autocannon-run.js';

const server = new URL('./commands/ceiling-server.js', import.meta.url).pathname;

/**
 * The ceilings a Node.js service meets on this machine, each a process of its own measured like the
 * shop: a bare Fastify route returning ~1 KB of JSON, and one doing a primary-key SELECT.
 */
export async function measureCeilings(options: {
  /** The Node.js the servers run on: the shop's. */
  node: string;
  postgresUrl: string;
  connections: number;
  seconds: number;
}): Promise<{ fastify: LoadFigures; fastifyPostgres: LoadFigures }> {
  const fastify = await withServer(['json'], options);
  const database = 'bazaar_bench_ceiling';
  await ensureDatabase(options.postgresUrl, database);
  try {
    const fastifyPostgres = await withServer(
      ['postgres', databaseUrl(options.postgresUrl, database)],
      options,
    );
    return { fastify, fastifyPostgres };
  } finally {
    await dropDatabase(options.postgresUrl, database);
  }
}

async function withServer(
  [mode, ...rest]: string[],
  options: { node: string; connections: number; seconds: number },
): Promise<LoadFigures> {
  const port = await freePort();
  const child = spawn(options.node, [server, mode as string, String(port), ...rest], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      if (line === 'listening') break;
    }
    return await hammer({ url: `http://127.0.0.1:${port}/`, ...options });
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}
