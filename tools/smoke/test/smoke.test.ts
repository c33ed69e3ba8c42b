import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type RunningShop, startShop } from '@bazaar/testing/shop';
import { devAdmin } from '@bazaar/testing/shop-client';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';

/**
 * `npm run smoke`, the release's check of staging and prod, run as the release runs it: the
 * bundled command against a whole shop's gateway.
 */
const run = promisify(execFile);
const command = new URL('../dist/main.js', import.meta.url).pathname;
let shop: RunningShop;

beforeAll(async () => {
  shop = await startShop(inject('postgresUrl'));
}, 120_000);
afterAll(() => shop?.stop());

const smoke = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, [command, ...args], { env: { ...process.env, ...env } }).then(
    ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
    (failure: { code: number; stdout: string; stderr: string }) => failure,
  );

test('against a working shop: the catalog and a product page, then a sign-up, a purchase with the test card and its receipt', async () => {
  const readOnly = await smoke(['--url', shop.url]);
  expect(readOnly.code).toBe(0);
  expect(readOnly.stdout).toContain('smoke: a product page ok');
  expect(readOnly.stdout).not.toContain('check out');

  const buying = await smoke(['--url', shop.url, '--buy'], {
    SMOKE_ADMIN_EMAIL: devAdmin.email,
    SMOKE_ADMIN_PASSWORD: devAdmin.password,
  });
  expect(buying.stderr).toBe('');
  expect(buying.stdout).toMatch(/smoke: check out with the test card ok \(\d+ ms\)/);
  expect(buying.stdout).toMatch(/smoke: the receipt mailed ok/);
  expect(buying.stdout).toContain(`smoke: ${shop.url} passed`);
}, 60_000);

test('a shop whose checkout fails, or that cannot be reached, fails the smoke with one line naming the step', async () => {
  // Payments frozen: orders gives up on it within its 5 s budget and answers 503.
  shop.signal('payments', 'SIGSTOP');
  try {
    const stalled = await smoke(['--url', shop.url, '--buy'], {
      SMOKE_ADMIN_EMAIL: devAdmin.email,
      SMOKE_ADMIN_PASSWORD: devAdmin.password,
    });
    expect(stalled.code).toBe(1);
    expect(stalled.stderr).toMatch(/^smoke: checkout: expected 201 confirmed, got 50\d /);
  } finally {
    shop.signal('payments', 'SIGCONT');
  }
  const nowhere = await smoke(['--url', 'http://127.0.0.1:9']);
  expect(nowhere.code).toBe(1);
  expect(nowhere.stderr).toMatch(/^smoke: /);
  const unnamed = await smoke(['--buy', '--url', shop.url]);
  expect(unnamed.stderr).toBe(
    'smoke: SMOKE_ADMIN_EMAIL and SMOKE_ADMIN_PASSWORD: missing, needed by --buy to read the mail log\n',
  );
}, 60_000);
