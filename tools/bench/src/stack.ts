import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { embeddedDataDirOf, readConfig, serverUrlOf } from '@bazaar/launcher/config';
import { nodeOptions } from '@bazaar/launcher/service-process';
import { services } from '@bazaar/launcher/services';

/** The project's root: above this file's directory, wherever the bundle that holds it lies. */
const root = (() => {
  for (let directory = new URL('./', import.meta.url); directory.pathname !== '/'; ) {
    if (existsSync(new URL('tools/launcher/package.json', directory))) return directory;
    directory = new URL('../', directory);
  }
  throw new Error(`no project root above ${import.meta.url}`);
})();

export type Stack = {
  url: string;
  /** The PostgreSQL server the shop's databases are on. */
  postgresUrl: string;
  /** How long `npm start` took to print "ready" (the launcher's own figure), when the bench started it. */
  readySeconds: number | undefined;
  /** The processes whose memory is measured: each service, the launcher, PostgreSQL's. */
  processes: () => Map<string, number[]>;
  stop: () => Promise<void>;
};

/**
 * The shop at `url` when it answers; otherwise `npm start`'s launcher, started here on a fresh data
 * directory (a first start) with the rate limit lifted, stopped again by `stop`. The launcher runs
 * on `node`, and the services on the launcher's Node.js.
 */
export async function useOrStartStack(url: string, node: string): Promise<Stack> {
  const running = await fetch(`${url}/readyz`).then(
    (response) => response.ok,
    () => false,
  );
  if (running) {
    // The shop `npm start` runs with the same settings: its server and its data directory.
    const config = readConfig();
    const dataDir = embeddedDataDirOf(config, root);
    return {
      url,
      postgresUrl: serverUrlOf(config),
      readySeconds: undefined,
      processes: () => shopProcesses(undefined, dataDir),
      stop: async () => {},
    };
  }
  // Inside the project like `.data`: PostgreSQL, which runs as an unprivileged user when the bench
  // runs as root, must reach it (a private temporary directory would not do).
  const dataDir = new URL(`.data/bench-${process.pid}/`, root).pathname;
  const launcher = spawn(
    node,
    [...nodeOptions, new URL('tools/launcher/dist/main.js', root).pathname],
    {
      env: {
        ...process.env,
        BAZAAR_DATA_DIR: dataDir,
        RATE_LIMIT_PER_MINUTE: '100000000',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const readySeconds = await readyLine(launcher);
  const port = process.env.BAZAAR_PG_PORT ?? '54329';
  return {
    url,
    postgresUrl: process.env.DATABASE_URL ?? `postgres://postgres@127.0.0.1:${port}/postgres`,
    readySeconds,
    processes: () => shopProcesses(launcher.pid, join(dataDir, 'postgres')),
    stop: async () => {
      const exited = new Promise((resolve) => launcher.once('exit', resolve));
      launcher.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function readyLine(launcher: ChildProcess): Promise<number> {
  const lines = createInterface({ input: launcher.stdout as NodeJS.ReadableStream });
  const exited = new Promise<never>((_, reject) =>
    launcher.once('exit', (code) => reject(new Error(`npm start exited (${code}) before ready`))),
  );
  const ready = (async () => {
    for await (const line of lines) {
      const match = /Bazaar is ready in ([\d.]+) s/.exec(line);
      if (match) return Number(match[1]);
    }
    throw new Error('npm start ended its output before ready');
  })();
  return Promise.race([ready, exited]);
}

/** PIDs by name: each service's process, the launcher's, and PostgreSQL's postmaster and backends. */
function shopProcesses(launcherPid: number | undefined, postgresDataDir: string) {
  const found = new Map<string, number[]>();
  const add = (name: string, pid: number) => found.set(name, [...(found.get(name) ?? []), pid]);
  const postmaster = postmasterPid(postgresDataDir);
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const command = read(`/proc/${pid}/cmdline`).replaceAll('\0', ' ');
    const service = services.find((spec) => command.includes(`services/${spec.name}/dist/main.js`));
    if (service) add(service.name, pid);
    else if (pid === launcherPid || command.includes('tools/launcher/dist/main.js'))
      add('launcher', pid);
    else if (postmaster && (pid === postmaster || parentOf(pid) === postmaster))
      add('postgres', pid);
  }
  return found;
}

function postmasterPid(dataDir: string): number | undefined {
  const file = join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  return Number(readFileSync(file, 'utf8').split('\n')[0]);
}

function parentOf(pid: number): number | undefined {
  // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after the last ')'.
  const stat = read(`/proc/${pid}/stat`);
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * A process's memory in MB: resident now, its highest resident since it started, and its
 * proportional share (PSS splits the pages processes share, such as PostgreSQL's buffers).
 */
export function memoryOf(pid: number): { rss: number; peakRss: number; pss: number } {
  const field = (text: string, name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) / 1024 : 0;
  };
  const status = read(`/proc/${pid}/status`);
  return {
    rss: field(status, 'VmRSS'),
    peakRss: field(status, 'VmHWM'),
    pss: field(read(`/proc/${pid}/smaps_rollup`), 'Pss'),
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSecondsOf(pid: number): number {
  const stat = read(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime, the 14th and 15th fields of the line, in clock ticks of 1/100 s.
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100;
}
