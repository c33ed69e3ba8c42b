import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { databaseUrl, dropDatabase } from '@bazaar/db/server-admin';
import { type Shop, serviceClients, services } from '@bazaar/launcher/services';
import { freePort } from '@bazaar/testing/free-port';
import { type OtlpReceiver, startOtlpReceiver } from '@bazaar/testing/otlp-receiver';
import { waitFor } from '@bazaar/testing/until';
import { afterAll, expect, inject, test } from 'vitest';
import { readDockerfile } from '../src/dockerfile.js';

/**
 * What a container does, without a container engine: the migration step, then every service started
 * with the image's own entrypoint and command, from the bundles `node tools/build.mjs` made (the
 * build the Dockerfile runs), with NODE_ENV=production and secrets of its own. Each must answer
 * /readyz, and the entrypoint's tracing preload must send spans where it is told to.
 */
const root = new URL('../../../', import.meta.url);
const image = readDockerfile(new URL('deploy/docker/Dockerfile', root).pathname);
const imageNodeOptions =
  image.variables.find((variable) => variable.name === 'NODE_OPTIONS')?.value ?? '';
const prefix = `prod_${randomBytes(3).toString('hex')}_`;
const children: ChildProcess[] = [];
let receiver: OtlpReceiver | undefined;

afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await sleep(500);
  await receiver?.close();
  for (const name of [...services.map((spec) => spec.name), 'bus']) {
    await dropDatabase(inject('postgresUrl'), `${prefix}${name}`);
  }
});

test('every service starts from the image entrypoint in production mode and is ready', async () => {
  const server = inject('postgresUrl');
  const { NATS_URL: _nats, REDIS_URL: _redis, ...inherited } = process.env;
  await promisify(execFile)(process.execPath, ['tools/launcher/dist/commands/migrate.js'], {
    cwd: root,
    env: { ...inherited, DATABASE_URL: server, BAZAAR_DB_PREFIX: prefix },
  });

  const ports = new Map<string, number>();
  for (const spec of services) ports.set(spec.name, await freePort());
  const secret = () => randomBytes(24).toString('base64url');
  const shop: Shop = {
    urlOf: (name) => `http://127.0.0.1:${ports.get(name)}`,
    clientSecrets: Object.fromEntries(serviceClients.map((name) => [name, secret()])),
  };
  // Every dev-only default replaced, as a deployment must.
  const production = {
    SIGNING_KEY_SECRET: secret() + secret(),
    ADMIN_EMAIL: 'ops@example.com',
    ADMIN_PASSWORD: secret(),
    PAYMENT_WEBHOOK_SECRET: secret(),
    // Named, as production must: the test provider is the only one built.
    PAYMENT_PROVIDER: 'test',
    // Production names where images go (the dev default is refused): a directory here.
    IMAGE_STORE: `file:${join(tmpdir(), 'bazaar-production-images')}`,
    // npm start turns it on for receivers on the laptop; production refuses it.
    WEBHOOK_ALLOW_INTERNAL_TARGETS: 'false',
  };
  receiver = await startOtlpReceiver();
  const [entrypoint = 'node', ...rest] = image.entrypoint;
  for (const spec of services) {
    const command = [...rest, ...image.cmd].map((part) => part.replace('gateway', spec.name));
    const child = spawn(entrypoint === 'node' ? process.execPath : entrypoint, command, {
      cwd: root,
      env: {
        ...inherited,
        NODE_ENV: 'production',
        NODE_OPTIONS: imageNodeOptions,
        HOST: '127.0.0.1',
        PORT: String(ports.get(spec.name)),
        METRICS_PORT: String(await freePort()),
        LOG_LEVEL: 'warn',
        BUS_DATABASE_URL: databaseUrl(server, `${prefix}bus`),
        ...(spec.database ? { DATABASE_URL: databaseUrl(server, `${prefix}${spec.name}`) } : {}),
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_SERVICE_NAME: spec.name,
        OTEL_BSP_SCHEDULE_DELAY: '100',
        ...spec.env?.(shop),
        ...production,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
  }
  const deadline = Date.now() + 30_000;
  for (const spec of services) {
    let ready = false;
    while (!ready && Date.now() < deadline) {
      const response = await fetch(`${shop.urlOf(spec.name)}/readyz`).catch(() => undefined);
      ready = response?.status === 200;
      if (!ready) await sleep(200);
    }
    expect(ready, `${spec.name} answered /readyz`).toBe(true);
  }
  const page = await fetch(`${shop.urlOf('gateway')}/`, { headers: { accept: 'text/html' } });
  expect(page.status).toBe(200);
  const spans = receiver.spans;
  await waitFor(spans, (all) => all.some((span) => span.service === 'gateway'), {
    context: () => JSON.stringify(spans()),
  });
}, 60_000);
