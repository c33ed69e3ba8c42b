import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { startEmbeddedPostgres } from '@bazaar/launcher/embedded-postgres';
import { freePort } from '@bazaar/testing/free-port';
import pg from 'pg';

const root = new URL('../../../', import.meta.url);

/** A server the suite owns, so it can stop one and start it again on the same port and data. */
export type OwnServer = {
  url: string;
  /** Stops it at once, as a crash would (SIGKILL), or cleanly. */
  stop: (how?: 'crash' | 'clean') => Promise<void>;
  start: () => Promise<void>;
  close: () => Promise<void>;
};

/** A scratch directory inside the project, where PostgreSQL's unprivileged user can reach it too. */
function scratch(name: string): string {
  const directory = new URL(`.data/faults-${name}-${process.pid}/`, root).pathname;
  mkdirSync(directory, { recursive: true });
  return directory;
}

async function waitForPort(port: number, up: boolean): Promise<void> {
  const net = await import('node:net');
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open === up) return;
    await sleep(50);
  }
  throw new Error(`port ${port} did not ${up ? 'open' : 'close'} in 10 s`);
}

/** A process-backed server: `args(port)` starts it; it is killed and started again at will. */
async function processServer(
  binary: string,
  args: (port: number) => string[],
  scheme: string,
  directory?: string,
): Promise<OwnServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(binary, args(port), { stdio: 'ignore' });
    await waitForPort(port, true);
  };
  const stop = async (how: 'crash' | 'clean' = 'crash') => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(how === 'crash' ? 'SIGKILL' : 'SIGTERM');
    await exited;
    await waitForPort(port, false);
  };
  await start();
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    stop,
    start,
    close: async () => {
      await stop('clean');
      if (directory) rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** A NATS server with JetStream of the suite's own, its store on disk so a restart keeps the stream. */
export function ownNats(binary: string): Promise<OwnServer> {
  const store = scratch('nats');
  return processServer(
    binary,
    (port) => ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store],
    'nats',
    store,
  );
}

/**
 * A Redis of the suite's own that keeps its data on disk (an append-only file, synced at every
 * write), as a managed Redis with persistence does: carts outlive a restart.
 */
export function ownRedis(binary: string): Promise<OwnServer> {
  const directory = scratch('redis');
  return processServer(
    binary,
    (port) =>
      [
        ['--bind', '127.0.0.1', '--port', String(port), '--save', ''],
        ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', directory],
      ].flat(),
    'redis',
    directory,
  );
}

/**
 * An embedded PostgreSQL of the suite's own, which `restartImmediately` restarts as
 * `pg_ctl restart -m immediate` does: every backend killed without a checkpoint, then crash
 * recovery from the WAL on the next start.
 */
export async function ownPostgres(): Promise<{
  url: string;
  restartImmediately: () => Promise<void>;
  close: () => Promise<void>;
}> {
  const directory = scratch('postgres');
  const dataDir = `${directory}data`;
  const port = await freePort();
  const server = await startEmbeddedPostgres({ dataDir, port, log: () => {} });
  const { pg_ctl: pgCtl } = (await import(
    `@embedded-postgres/${process.platform}-${process.arch}`
  )) as { pg_ctl: string };
  // pg_ctl refuses root, like PostgreSQL: it runs as the owner of the data directory.
  const owner = process.getuid?.() === 0 ? ownerOf(dataDir) : undefined;
  // Asynchronous: the test goes on watching the services while the server is down.
  const pgCtlRun = (...args: string[]) =>
    promisify(execFile)(pgCtl, ['-D', dataDir, ...args], { ...owner, timeout: 60_000 });
  let restarted = false;
  return {
    url: server.url,
    restartImmediately: async () => {
      await pgCtlRun('restart', '-m', 'immediate', '-w', '-l', `${dataDir}/restart.log`);
      restarted = true;
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      await client.end();
    },
    close: async () => {
      // After a restart the server is pg_ctl's child, not ours: pg_ctl stops it.
      if (restarted) await pgCtlRun('stop', '-m', 'fast', '-w');
      else await server.stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

function ownerOf(path: string): { uid: number; gid: number } {
  const [uid, gid] = execFileSync('stat', ['-c', '%u %g', path], { encoding: 'utf8' })
    .trim()
    .split(' ')
    .map(Number);
  return { uid: uid ?? 0, gid: gid ?? 0 };
}
