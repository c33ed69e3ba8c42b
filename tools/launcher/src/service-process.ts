import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatLine } from './log-format.js';

export type ServiceProcess = {
  name: string;
  url: string;
  child: ChildProcess;
  /** Resolves with a description of how the process ended. */
  exited: Promise<string>;
};

/**
 * How every service's Node.js runs, here and in the image (its NODE_OPTIONS): source-mapped stack
 * traces; a young generation of 2 MB instead of 16: idle services keep 20–30 MB less resident,
 * at no throughput `npm run bench` can tell; and the heap limit Node.js sets itself inside the
 * Deployment's memory limit (259 MB under 320 or 384 MiB), which on a machine with gigabytes free
 * would be 4 GB, under which V8 lets a heap grow further between collections: the stack under the
 * checkout load holds 60-80 MB less, at no CPU the bench can tell (docs/benchmarks.md).
 */
export const nodeOptions = [
  '--enable-source-maps',
  '--max-semi-space-size=2',
  '--max-old-space-size=256',
];

/**
 * What else every service's process runs with, here and in the image: glibc's malloc keeps at most
 * two arenas, not one per thread that ever allocated (argon2's hashes run on libuv's four threads,
 * and each arena stayed resident: identity held ~40 MB more after a hundred sign-ins).
 */
export const processEnvironment = { MALLOC_ARENA_MAX: '2' };

/**
 * Starts `services/<name>/dist/main.js` with the launcher's own Node.js, after the tracing preload
 * (which does nothing unless OTEL_EXPORTER_OTLP_ENDPOINT is set). The child gets its own process
 * group, so a Ctrl-C reaches only the launcher, which stops the services before the database; and
 * an IPC channel, whose loss makes a service stop if the launcher dies.
 */
export function spawnService(
  root: URL,
  spec: { name: string; url: string; env: NodeJS.ProcessEnv },
  print: (line: string) => void,
): ServiceProcess {
  const entry = new URL(`services/${spec.name}/dist/main.js`, root);
  const tracing = new URL('packages/service-kit/dist/tracing.js', root);
  const args = [...nodeOptions, `--import=${tracing.href}`, entry.pathname];
  const child = spawn(process.execPath, args, {
    env: { OTEL_SERVICE_NAME: spec.name, ...processEnvironment, ...spec.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream)
      createInterface({ input: stream }).on('line', (line) => print(formatLine(spec.name, line)));
  }
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`));
  });
  return { name: spec.name, url: spec.url, child, exited };
}

/** Polls `/readyz` until it answers 200; fails if the process exits first or time runs out. */
export async function waitUntilReady(service: ServiceProcess, deadline: number): Promise<void> {
  let exit: string | undefined;
  void service.exited.then((how) => {
    exit = how;
  });
  while (Date.now() < deadline) {
    if (exit) throw new Error(`${service.name} exited (${exit}) before it was ready`);
    const response = await fetch(`${service.url}/readyz`).catch(() => undefined);
    if (response?.ok) return;
    await sleep(100);
  }
  throw new Error(`${service.name} was not ready at ${service.url}/readyz in time`);
}

/** SIGTERM, then SIGKILL if the service has not finished its graceful shutdown in `graceMs`. */
export async function stopService(service: ServiceProcess, graceMs: number): Promise<void> {
  if (service.child.exitCode !== null || service.child.signalCode !== null) return;
  service.child.kill('SIGTERM');
  const outcome = await Promise.race([service.exited, sleep(graceMs, 'timeout')]);
  if (outcome === 'timeout') {
    service.child.kill('SIGKILL');
    await service.exited;
  }
}
