import { mkdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Ports are handed out below the system's ephemeral range (32768 and up on Linux), where no
 * outgoing connection takes its source port, and each is claimed with a directory (mkdir is atomic)
 * so that parallel test files and runs never get the same one: a port found free stays free until
 * the server the test starts binds it, however many connections open meanwhile.
 */
const lowest = 20_000;
const highest = 32_000;
const claims = join(tmpdir(), 'bazaar-test-ports');
/** A claim this old belongs to a run long gone. */
const staleMs = 30 * 60_000;

/** A TCP port on 127.0.0.1 that nothing listens on, and that no other test holds. */
export async function freePort(): Promise<number> {
  return freePortBase([0]);
}

/**
 * A base port such that base + each offset is free and now held by the caller, for what numbers
 * its ports from one base (the launcher: BAZAAR_PORT_BASE).
 */
export async function freePortBase(offsets: readonly number[]): Promise<number> {
  mkdirSync(claims, { recursive: true });
  const span = Math.max(...offsets);
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const base = lowest + Math.floor(Math.random() * (highest - lowest - span));
    const ports = offsets.map((offset) => base + offset);
    const held = ports.filter(claim);
    const free =
      held.length === ports.length && (await Promise.all(ports.map(isFree))).every(Boolean);
    if (free) return base;
    for (const port of held) rmSync(join(claims, String(port)), { recursive: true, force: true });
  }
  throw new Error(`no free TCP ports between ${lowest} and ${highest}`);
}

function claim(port: number): boolean {
  const path = join(claims, String(port));
  try {
    mkdirSync(path);
    return true;
  } catch {
    const age = Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    if (age < staleMs) return false;
    rmSync(path, { recursive: true, force: true });
    return claim(port);
  }
}

function isFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
