import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabase } from '@bazaar/db/server-admin';
import { freePortBase } from '@bazaar/testing/free-port';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { services } from '../src/services.js';

const root = new URL('../../../', import.meta.url);
const external = process.env.DATABASE_URL;
const prefix = `bazaar_e2e_${randomBytes(3).toString('hex')}_`;
let dataDir: string;

type Launch = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

function launch(env: Record<string, string>, options: { ownGroup?: boolean } = {}): Launch {
  const child = spawn(process.execPath, ['tools/launcher/dist/main.js'], {
    cwd: root,
    detached: options.ownGroup ?? false,
    env: {
      ...process.env,
      BAZAAR_DATA_DIR: dataDir,
      BAZAAR_DB_PREFIX: prefix,
      NATS_STREAM: prefix,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, output: () => output, exited };
}

/** Waits until the launcher's output holds `expected`: lines reach it through pipes, a moment late. */
async function waitFor(
  launched: Launch,
  expected: string | RegExp,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const printed = () =>
    typeof expected === 'string'
      ? launched.output().includes(expected)
      : expected.test(launched.output());
  while (!printed()) {
    if (launched.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`launcher never printed ${expected}:\n${launched.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The ports the launcher numbers from its base: services, PostgreSQL, the services' metrics. */
const launcherPorts = [
  ...Array.from({ length: 9 }, (_, offset) => offset),
  ...Array.from({ length: 8 }, (_, offset) => 1000 + offset),
];

async function isListening(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'bazaar-launcher-'));
  // Under root, PostgreSQL runs as an unprivileged user that must reach the data directory.
  await chmod(dataDir, 0o755);
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  if (external) {
    for (const name of [...services.map((spec) => spec.name), 'bus'])
      await dropDatabase(external, `${prefix}${name}`);
  }
  if (process.env.NATS_URL) {
    const connection = await connect({ servers: process.env.NATS_URL });
    await (await jetstreamManager(connection)).streams.delete(prefix).catch(() => undefined);
    await connection.close();
  }
});

describe('npm start', () => {
  test('brings the shop up, serves products through the gateway, and SIGTERM frees every port', async () => {
    const base = await freePortBase(launcherPorts);
    const pgPort = base + 8;
    const launched = launch({ BAZAAR_PORT_BASE: String(base), BAZAAR_PG_PORT: String(pgPort) });

    await waitFor(launched, 'Bazaar is ready', 60_000);
    const response = await fetch(`http://127.0.0.1:${base}/api/products?limit=100`);
    const page = (await response.json()) as { items: unknown[] };
    expect(response.status).toBe(200);
    expect(page.items).toHaveLength(100);
    expect(page.items[0]).toMatchObject({ name: expect.any(String), price: { currency: 'USD' } });
    await waitFor(launched, /catalog\s+\| .*request completed/, 5000);
    const signIn = await fetch(`http://127.0.0.1:${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@bazaar.local', password: 'bazaar-admin-dev' }),
    });
    expect(signIn.status).toBe(200);
    const { accessToken } = (await signIn.json()) as { accessToken: string };
    // Archived now, it must still be archived after the restart of the next test.
    const lamp = (await (
      await fetch(`http://127.0.0.1:${base}/api/products/oak-desk-lamp`)
    ).json()) as { id: string };
    const archived = await fetch(`http://127.0.0.1:${base}/api/admin/products/${lamp.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(archived.status).toBe(204);
    const scraped = await fetch(`http://127.0.0.1:${base + 1002}/metrics`);
    expect(await scraped.text()).toMatch(/^http_requests_total\{[^}]*service="catalog"/m);
    expect((await fetch(`http://127.0.0.1:${base}/metrics`)).status).toBe(404);
    expect(launched.output()).toContain(`Metrics        http://127.0.0.1:${base + 1000}/metrics`);
    const stock = await fetch(`http://127.0.0.1:${base}/api/inventory/CKW-01`);
    expect(await stock.json()).toEqual({ sku: 'CKW-01', available: expect.any(Number) });

    // Inventory's seed announces every SKU on the bus; catalog's inStock follows what it holds.
    type Variant = { sku: string; inStock: boolean };
    const get = async <T>(path: string) =>
      (await (await fetch(`http://127.0.0.1:${base}${path}`)).json()) as T;
    const agrees = async () => {
      const page = await get<{ items: Array<{ slug: string }> }>(
        '/api/products?sort=price_asc&limit=100',
      );
      for (const item of page.items) {
        const product = await get<{ variants: Variant[] }>(`/api/products/${item.slug}`);
        for (const variant of product.variants) {
          const { available } = await get<{ available: number }>(`/api/inventory/${variant.sku}`);
          if (variant.inStock !== available > 0) return false;
        }
      }
      return true;
    };
    const deadline = Date.now() + 15_000;
    while (!(await agrees())) {
      if (Date.now() > deadline) throw new Error('catalog never learnt the stock');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const soldOut = await get<{ total: number }>('/api/products?inStock=false&limit=1');
    const inStock = await get<{ total: number }>('/api/products?inStock=true&limit=1');
    expect(inStock.total).toBeGreaterThan(soldOut.total);

    const stopping = Date.now();
    launched.child.kill('SIGTERM');
    expect(await launched.exited).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(10_000);
    const servicePorts = Array.from({ length: 8 }, (_, offset) => [
      base + offset,
      base + 1000 + offset,
    ]).flat();
    const ports = external ? servicePorts : [...servicePorts, pgPort];
    for (const port of ports) expect(await isListening(port)).toBe(false);
  }, 90_000);

  test('Ctrl-C in a terminal stops a restarted shop, which kept its data and did not re-seed', async () => {
    const base = await freePortBase(launcherPorts);
    const pgPort = base + 8;
    const launched = launch(
      { BAZAAR_PORT_BASE: String(base), BAZAAR_PG_PORT: String(pgPort) },
      { ownGroup: true },
    );
    await waitFor(launched, 'Bazaar is ready', 60_000);
    let count = 0;
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = (await (
        await fetch(`http://127.0.0.1:${base}/api/products?limit=100${query}`)
      ).json()) as { items: unknown[]; nextCursor: string | null };
      count += page.items.length;
      cursor = page.nextCursor;
    } while (cursor);
    // The seed's 240 products, less the one the first start archived: a fresh seed would have 240.
    expect(count).toBe(239);
    expect((await fetch(`http://127.0.0.1:${base}/api/products/oak-desk-lamp`)).status).toBe(404);

    // A terminal sends SIGINT to every process in the foreground group at once.
    process.kill(-(launched.child.pid ?? 0), 'SIGINT');
    expect(await launched.exited).toBe(0);
    expect(launched.output()).not.toContain('launcher:');
    const servicePorts = Array.from({ length: 8 }, (_, offset) => [
      base + offset,
      base + 1000 + offset,
    ]).flat();
    const ports = external ? servicePorts : [...servicePorts, pgPort];
    for (const port of ports) expect(await isListening(port)).toBe(false);
  }, 90_000);

  test('a port already in use stops it with the port and the service named', async () => {
    const base = await freePortBase(launcherPorts);
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(base + 2, '127.0.0.1', resolve));

    const launched = launch({
      BAZAAR_PORT_BASE: String(base),
      BAZAAR_PG_PORT: String(base + 8),
    });
    const code = await launched.exited;
    squatter.close();

    expect(code).toBe(1);
    expect(launched.output()).toContain(`port ${base + 2} (catalog) is already in use`);
  });

  test('a bad setting stops it with one line naming the variable', async () => {
    const launched = launch({ BAZAAR_PORT_BASE: 'eighty' });
    expect(await launched.exited).toBe(1);
    expect(launched.output().trim()).toBe(
      'launcher: BAZAAR_PORT_BASE: expected the first of the ports the services listen on (1024-65000)',
    );
  });
});
