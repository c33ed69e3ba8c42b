import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '@bazaar/testing/until';
import { importNewProducts } from './csv-imports.js';

export type WebhookFigures = {
  events: number;
  /** From the import's answer to the last event received by a healthy receiver. */
  healthySeconds: number;
  healthyPerSecond: number;
  /** From the receiver coming back to the last of a backlog received. */
  catchUpSeconds: number;
  /** Of which waiting for the next probe of the failing receiver. */
  probeWaitSeconds: number;
  drainPerSecond: number;
};

/**
 * Deliveries to a receiver on 127.0.0.1 subscribed to product changes: 2,500 events (an import
 * of 2,500 new products) to a healthy receiver, then 2,500 more while it answers 503, and how
 * long it takes to catch up once it answers again. Each event counted once by its webhook-id.
 */
export async function runWebhookDelivery(options: {
  url: string;
  adminToken: string;
  category: string;
}): Promise<WebhookFigures> {
  const seen = new Set<string>();
  let up = true;
  let firstAfterUp: number | undefined;
  const receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (!up) return response.writeHead(503).end();
      firstAfterUp ??= performance.now();
      seen.add(String(request.headers['webhook-id']));
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const headers = {
    authorization: `Bearer ${options.adminToken}`,
    'content-type': 'application/json',
  };
  const subscription = (await (
    await fetch(`${options.url}/api/admin/webhooks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/bench`,
        eventTypes: ['catalog.product.updated.v1'],
        description: 'npm run bench',
      }),
    })
  ).json()) as { id: string };
  const imports = () => importNewProducts(options);
  const received = (count: number) =>
    waitFor(
      () => seen.size,
      (size) => size >= count,
      { timeoutMs: 600_000 },
    );
  try {
    await imports();
    const healthyStart = performance.now();
    await received(2500);
    const healthySeconds = (performance.now() - healthyStart) / 1000;

    up = false;
    await imports();
    // Down until the subscription is failing and every event of the import is queued to it.
    await waitFor(
      async () =>
        (
          await (
            await fetch(`${options.url}/api/admin/webhooks/${subscription.id}`, { headers })
          ).json()
        ).failing,
      (failing) => failing === true,
      { timeoutMs: 60_000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 5000));
    up = true;
    firstAfterUp = undefined;
    const back = performance.now();
    await received(5000);
    const catchUpSeconds = (performance.now() - back) / 1000;
    const probeWaitSeconds = ((firstAfterUp ?? back) - back) / 1000;
    return {
      events: 2500,
      healthySeconds: round(healthySeconds),
      healthyPerSecond: Math.round(2500 / healthySeconds),
      catchUpSeconds: round(catchUpSeconds),
      probeWaitSeconds: round(probeWaitSeconds),
      drainPerSecond: Math.round(2500 / (catchUpSeconds - probeWaitSeconds)),
    };
  } finally {
    await fetch(`${options.url}/api/admin/webhooks/${subscription.id}`, {
      method: 'DELETE',
      headers: { authorization: headers.authorization },
    });
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  }
}

const round = (seconds: number) => Math.round(seconds * 100) / 100;
