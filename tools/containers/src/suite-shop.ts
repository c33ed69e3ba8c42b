import { devAdmin, type ShopClient, shopClient } from '@bazaar/testing/shop-client';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type ComposeShop, startComposeShop } from './compose-shop.js';

export type SuiteShop = { shop: ComposeShop; client: ShopClient; admin: string };

/**
 * One compose shop for a test file: up before its tests (when `engine`), down after them, with a
 * client and the dev admin's token. Its fields are there once the tests run.
 */
export function suiteShop(
  engine: boolean,
  options?: Parameters<typeof startComposeShop>[0],
): SuiteShop {
  const suite = {} as SuiteShop;
  beforeAll(async () => {
    if (!engine) return;
    suite.shop = await startComposeShop(options);
    suite.client = shopClient(suite.shop.url);
    suite.admin = (await suite.client.signIn(devAdmin.email, devAdmin.password)).accessToken;
  }, 900_000);
  // What CI shows of a failed test is its output: the services' warnings and errors go with it.
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail' || !suite.shop) return;
    // Whole logs: a busy gateway's last few thousand lines cover seconds.
    const logs = await suite.shop.project.run('logs', '--no-color');
    const problems = logs.split('\n').filter((line) => /"level":(4|5|6)\d/.test(line));
    console.error(
      `the services' last 40 warnings and errors:\n${problems
        .slice(-40)
        .map((line) => line.slice(0, 600))
        .join('\n')}`,
    );
  });
  afterAll(async () => {
    await suite.shop?.down();
  }, 120_000);
  return suite;
}
