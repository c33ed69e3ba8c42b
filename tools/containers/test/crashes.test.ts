import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ledgerViolations } from '@bazaar/faults/ledger';
import { startSteadyCheckouts } from '@bazaar/faults/steady-checkouts';
import { signUpBuyers } from '@bazaar/testing/tuned-shop';
import { waitFor } from '@bazaar/testing/until';
import { describe, expect, test } from 'vitest';
import { docker, dockerEngine } from '../src/docker.js';
import { suiteShop } from '../src/suite-shop.js';

/** Containers stopped and killed as an orchestrator and the kernel stop and kill them. */
const engine = dockerEngine();
const suite = suiteShop(engine);

const state = async (service: string, field: string) =>
  docker('inspect', '--format', `{{${field}}}`, await suite.shop.project.container(service));

describe.skipIf(!engine)('containers stopped and killed', () => {
  test('docker stop of orders with checkouts in flight: every one of them finishes, and orders ends within its grace period', async ({
    annotate,
  }) => {
    const sku = await suite.client.stockedSku(suite.admin, 1000);
    const buyers = await signUpBuyers(suite.client, 6, 6);
    await Promise.all(buyers.map((token) => suite.client.cartWith(token, sku, 1)));
    // Payments frozen: the checkouts wait in orders, in flight, until it thaws.
    await docker('pause', await suite.shop.project.container('payments'));
    const checkouts = buyers.map((token) => suite.client.checkout(token, randomUUID()));
    await waitFor(
      () => suite.shop.metric('orders', 'bazaar_checkouts_in_flight'),
      (inFlight) => inFlight === buyers.length,
      { timeoutMs: 15_000 },
    );

    const stopping = Date.now();
    const stopped = docker('stop', '--time', '20', await suite.shop.project.container('orders'));
    await sleep(1000);
    await docker('unpause', await suite.shop.project.container('payments'));
    const answers = await Promise.all(checkouts);
    await stopped;
    const stopSeconds = (Date.now() - stopping) / 1000;
    await annotate(
      `orders stopped in ${stopSeconds.toFixed(1)} s with ${buyers.length} checkouts in flight`,
    );

    expect(answers.map((answer) => answer.status)).toEqual(buyers.map(() => 201));
    expect(stopSeconds).toBeLessThan(20);
    expect(await state('orders', '.State.ExitCode')).toBe('0');
    await docker('start', await suite.shop.project.container('orders'));
    await waitFor(
      () => state('orders', '.State.Health.Status'),
      (health) => health === 'healthy',
      {
        timeoutMs: 90_000,
      },
    );
    expect(
      await ledgerViolations(suite.shop, {
        accepted: answers.map((answer) => answer.body.id),
        initialStock: new Map([[sku, 1000]]),
      }),
    ).toEqual([]);
  }, 240_000);

  test('orders killed with SIGKILL 5 times under steady checkouts: the restart policy brings it back each time, and the ledger holds', async ({
    annotate,
  }) => {
    const initialStock = new Map([[await suite.client.stockedSku(suite.admin, 100_000), 100_000]]);
    const buyers = await signUpBuyers(suite.client, 8, 8);
    const load = startSteadyCheckouts(suite.client, buyers, [...initialStock.keys()]);
    // `docker kill` counts as a stop asked for, which the restart policy respects; a crash is the
    // process dying, here by the kernel's SIGKILL.
    for (let kill = 0; kill < 5; kill += 1) {
      await sleep(1500 + Math.random() * 1500);
      const restarts = Number(await state('orders', '.RestartCount'));
      process.kill(Number(await state('orders', '.State.Pid')), 'SIGKILL');
      await waitFor(
        async () => Number(await state('orders', '.RestartCount')),
        (count) => count > restarts,
        { timeoutMs: 30_000 },
      );
      await waitFor(
        () => state('orders', '.State.Running'),
        (running) => running === 'true',
        {
          timeoutMs: 30_000,
        },
      );
    }
    await sleep(3000);
    const tally = await load.stop();
    await annotate(`answers during the kills: ${JSON.stringify(tally.statuses)}`);

    expect(tally.accepted.length).toBeGreaterThan(10);
    expect(await ledgerViolations(suite.shop, { ...tally, initialStock })).toEqual([]);
  }, 300_000);

  test('cart over its memory limit under load is killed by the kernel (OOM), restarts by its policy, and every cart is intact', async ({
    annotate,
  }) => {
    const sku = await suite.client.stockedSku(suite.admin, 1000);
    const buyers = await signUpBuyers(suite.client, 10, 10);
    await Promise.all(buyers.map((token, index) => suite.client.cartWith(token, sku, index + 1)));
    const cartOf = async (token: string) =>
      (await suite.client.call('GET', '/api/cart', { bearer: token })).body.items;
    const before = await Promise.all(buyers.map(cartOf));

    // A limit 40 MB above what cart uses now; then 200 requests of nearly a megabyte each at once,
    // straight at cart (its body limit is 1 MB): their bodies alone pass it.
    const cart = await suite.shop.project.container('cart');
    // cgroup v2 (memory.current) or v1 (memory/memory.usage_in_bytes).
    const usage = Number(
      await docker(
        'exec',
        cart,
        'bash',
        '-c',
        'cat /sys/fs/cgroup/memory.current 2>/dev/null || cat /sys/fs/cgroup/memory/memory.usage_in_bytes',
      ),
    );
    const limit = String(usage + 40 * 2 ** 20);
    await docker('update', '--memory', limit, '--memory-swap', limit, cart);
    const address = await suite.shop.project.addressOf('cart');
    const body = JSON.stringify({ sku: 'X'.repeat(1_000_000 - 100), quantity: 1 });
    const [token = ''] = buyers;
    const flood = await Promise.all(
      Array.from({ length: 200 }, () =>
        fetch(`http://${address}:8084/api/cart/items`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body,
        }).then(
          (response) => response.status,
          () => 'no answer',
        ),
      ),
    );
    await waitFor(
      () => state('cart', '.State.OOMKilled'),
      (killed) => killed === 'true',
      { timeoutMs: 30_000 },
    );
    await waitFor(
      async () =>
        `${await state('cart', '.State.Running')} ${await state('cart', '.RestartCount')}`,
      (running) => running.startsWith('true') && running !== 'true 0',
      { timeoutMs: 60_000 },
    );
    const answers: Record<string, number> = {};
    for (const status of flood) answers[status] = (answers[status] ?? 0) + 1;
    await annotate(
      `cart used ${Math.round(usage / 2 ** 20)} MB, limit ${Math.round(Number(limit) / 2 ** 20)} MB; the flood was answered ${JSON.stringify(answers)}`,
    );

    await waitFor(
      () => Promise.all(buyers.map(cartOf)).catch(() => undefined),
      (after) => JSON.stringify(after) === JSON.stringify(before),
      { timeoutMs: 60_000 },
    );
    const bought = await suite.client.checkout(buyers[1] ?? '', randomUUID());
    expect(bought.status).toBe(201);
    expect(bought.body.lines).toEqual([expect.objectContaining({ sku, quantity: 2 })]);
  }, 300_000);
});
