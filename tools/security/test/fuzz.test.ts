import { services } from '@bazaar/launcher/services';
import { startTunedShop, type TunedShop } from '@bazaar/testing/tuned-shop';
import { Pool } from 'undici';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { evaluateIn } from '../src/inspector.js';
import { type MalformedRequest, malformedRequests } from '../src/malformed.js';
import { type Operation, publicOperations } from '../src/openapi.js';

/**
 * At least 10,000 malformed requests per service, through the gateway, made from each service's own
 * OpenAPI document: wrong types, extreme numbers, deep nesting, `__proto__` keys, injection strings,
 * junk bodies and content types. None may get a 5xx, crash a process, or touch Object.prototype.
 */
const perService = 10_000;
let shop: TunedShop;
let customer: string;
const prototypeOf = 'JSON.stringify(Object.getOwnPropertyNames(Object.prototype).sort())';
const pristine = new Map<string, unknown>();

beforeAll(async () => {
  shop = await startTunedShop(inject('postgresUrl'), {
    everyService: { NODE_OPTIONS: '--inspect=127.0.0.1:0' },
  });
  customer = (await shop.client.newCustomer()).token;
  for (const { name } of services) {
    pristine.set(name, await evaluateIn(shop.shop.output(), name, prototypeOf));
  }
});

afterAll(async () => {
  await shop?.shop.stop();
});

test(`${perService.toLocaleString('en')} malformed requests per service through the gateway: no 5xx, no crash, Object.prototype untouched`, async ({
  annotate,
}) => {
  const operations = await publicOperations(shop.shop.urlOf);
  const before = await shop.shop.startTimes();
  const gateway = new Pool(shop.shop.url, { connections: 32 });
  const failures: string[] = [];
  const sent: Record<string, number> = {};
  let seed = 1;
  for (const name of new Set(operations.map((operation) => operation.service))) {
    const own = operations.filter((operation) => operation.service === name);
    // A few more than asked: a handful never reach the shop (undici refuses to send them).
    const each = Math.ceil((perService * 1.01) / own.length);
    const requests = own.flatMap((operation) =>
      malformedRequests(operation, each, seed++).map((request) => ({ operation, request })),
    );
    sent[name] = 0;
    await inBatches(requests, 32, async ({ operation, request }) => {
      const status = await send(gateway, operation, request);
      if (status > 0) sent[name] = (sent[name] ?? 0) + 1;
      if (status >= 500) {
        failures.push(
          `${status} ${request.method} ${request.path.slice(0, 120)} ${request.body?.slice(0, 120) ?? ''}`,
        );
      }
    });
  }
  await gateway.close();
  await annotate(`sent ${JSON.stringify(sent)}`);

  expect(failures.slice(0, 20)).toEqual([]);
  expect(Math.min(...Object.values(sent))).toBeGreaterThanOrEqual(perService);
  expect(await shop.shop.startTimes()).toEqual(before);
  expect(shop.shop.output()).not.toMatch(/unhandled|uncaught|FATAL/i);
  for (const { name } of services) {
    expect(await evaluateIn(shop.shop.output(), name, prototypeOf), name).toEqual(
      pristine.get(name),
    );
  }
});

async function send(
  gateway: Pool,
  operation: Operation,
  request: MalformedRequest,
  retried = false,
): Promise<number> {
  const bearer = operation.path.startsWith('/api/admin/') ? shop.admin : customer;
  try {
    const response = await gateway.request({
      method: request.method as 'GET',
      path: request.path,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(request.contentType ? { 'content-type': request.contentType } : {}),
      },
      body: request.body ?? null,
    });
    await response.body.dump();
    return response.statusCode;
  } catch (error) {
    // A kept-alive connection the server closed after answering a request it would not read to
    // the end (a 413) is reset under the next one: as any HTTP client does, send it again.
    if (!retried && (error as { code?: string }).code === 'ECONNRESET') {
      return send(gateway, operation, request, true);
    }
    return 0;
  }
}

async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}
