import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type SilentLink, silentLink } from '@bazaar/testing/silent-link';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { serviceClient } from '../src/service-client.js';

let callee: Server;
let link: SilentLink;

beforeAll(async () => {
  // A callee that takes a moment, so that parallel calls hold several pooled connections.
  callee = createServer((_request, response) => {
    setTimeout(() => response.end('{"ok":true}'), 50);
  });
  await new Promise<void>((resolve) => callee.listen(0, '127.0.0.1', resolve));
  link = await silentLink({ host: '127.0.0.1', port: (callee.address() as AddressInfo).port });
});

afterAll(async () => {
  await link.close();
  await new Promise((resolve) => callee.close(resolve));
});

const timed = async (work: () => Promise<unknown>) => {
  const started = Date.now();
  const outcome = await work().then(
    (answer) => (answer as { status: number }).status,
    (error: Error & { code?: string }) => error.code ?? error.message,
  );
  return { outcome, ms: Date.now() - started };
};

describe('a callee cut off by a partition', () => {
  test('the first call gives up within the timeout, all attempts included; the ones after it do not wait on the other kept-alive connections; calls succeed once the link is back', async () => {
    const client = serviceClient({
      name: 'catalog',
      baseUrl: `http://127.0.0.1:${link.port}`,
      token: async () => 'token',
      timeoutMs: 1000,
    });
    const call = () => client.call({ method: 'GET', path: '/internal/products', idempotent: true });
    await Promise.all(Array.from({ length: 4 }, call));

    link.silence();
    const first = await timed(call);
    expect(first.outcome).toBe('upstream_unavailable');
    expect(first.ms).toBeLessThan(1500);
    // Calls in parallel, as under load, would each take one of the other pooled connections.
    for (const later of await Promise.all(Array.from({ length: 3 }, () => timed(call)))) {
      expect(later.outcome).toBe('upstream_unavailable');
      expect(later.ms).toBeLessThan(700);
    }

    link.restore();
    await sleep(10);
    expect((await timed(call)).outcome).toBe(200);
  });
});
