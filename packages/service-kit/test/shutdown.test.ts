import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, test } from 'vitest';
import { createServiceApp } from '../src/app.js';
import { shutdownGracefully, stopServing, untilReady } from '../src/serve.js';

async function startSlowApp(delayMs: number) {
  const app = await createServiceApp({ name: 'demo', logLevel: 'silent', bodyLimitBytes: 1024 });
  app.get('/slow', async () => {
    await sleep(delayMs);
    return { done: true };
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, address };
}

test('shutdown lets an in-flight request finish, then refuses new connections', async () => {
  const { app, address } = await startSlowApp(300);
  const inFlight = fetch(`${address}/slow`);
  await sleep(50);

  const outcome = await shutdownGracefully(app, 5000);

  const response = await inFlight;
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ done: true });
  expect(outcome).toBe('closed');
  await expect(fetch(`${address}/slow`)).rejects.toThrow();
});

test('shutdown gives up when a request outlives the timeout', async () => {
  const { app, address } = await startSlowApp(1000);
  const inFlight = fetch(`${address}/slow`).catch(() => undefined);
  await sleep(50);

  expect(await shutdownGracefully(app, 200)).toBe('timed_out');
  await inFlight;
});

type Answer = { status?: number; connection?: string; reusedConnection?: boolean };

/** A POST through `agent`, which keeps one connection alive between requests. */
function post(address: string, agent: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sent = request(`${address}/slow`, { method: 'POST', agent }, (response) => {
      response.resume();
      response.on('end', () =>
        resolve({
          status: response.statusCode,
          connection: response.headers.connection,
          reusedConnection: sent.reusedSocket,
        }),
      );
    });
    sent.on('error', reject);
    sent.end();
  });
}

test('a stopping service says it is not ready and serves on for its drain period: a POST on a kept-alive connection is answered, and the connection then closed', async () => {
  const app = await createServiceApp({ name: 'demo', logLevel: 'silent', bodyLimitBytes: 1024 });
  app.post('/slow', async () => ({ done: true }));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  expect(await post(address, agent)).toMatchObject({ status: 200, connection: 'keep-alive' });

  const stopped = stopServing(app, { drainMs: 400, timeoutMs: 1000 });
  await sleep(100);
  // Not ready any more, so a load balancer's check takes it out; the requests still come in.
  expect((await fetch(`${address}/readyz`)).status).toBe(503);
  expect(await post(address, agent)).toMatchObject({ status: 200, connection: 'close' });
  expect(await post(address, agent)).toMatchObject({ status: 200, connection: 'close' });

  expect(await stopped).toBe('closed');
  await expect(post(address, agent)).rejects.toThrow();
  agent.destroy();
});

test('a service behind a load balancer keeps an idle connection open longer than other services do, for the balancer to send on, and closes it when it stops', async () => {
  const app = await createServiceApp({
    name: 'demo',
    logLevel: 'silent',
    bodyLimitBytes: 1024,
    keepAliveTimeoutMs: 65_000,
  });
  app.post('/slow', async () => ({ done: true }));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  expect(await post(address, agent)).toMatchObject({ status: 200, reusedConnection: false });
  // Node closes an idle connection 1 s after the timeout it advertises.
  await sleep(6_500);
  expect(await post(address, agent)).toMatchObject({ status: 200, reusedConnection: true });

  expect(await stopServing(app, { drainMs: 100, timeoutMs: 1000 })).toBe('closed');
  await expect(post(address, agent)).rejects.toThrow();
  agent.destroy();
}, 10_000);

test('a starting service waits for its dependencies before it listens, for a bounded time', async () => {
  let reachableAt = Date.now() + 700;
  const app = await createServiceApp({
    name: 'demo',
    logLevel: 'silent',
    bodyLimitBytes: 1024,
    readiness: {
      redis: async () => {
        if (Date.now() < reachableAt) throw new Error('connect ETIMEDOUT');
      },
    },
  });
  let started = Date.now();
  await untilReady(app, 5000);
  expect(Date.now() - started).toBeGreaterThanOrEqual(650);
  expect(Date.now() - started).toBeLessThan(2000);

  reachableAt = Number.POSITIVE_INFINITY;
  started = Date.now();
  await untilReady(app, 1000);
  expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  await app.close();
});
