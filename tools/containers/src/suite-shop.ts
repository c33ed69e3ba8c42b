import { devAdmin, type ShopClient, shopClient } from '@bazaar/testing/shop-client';
import { afterAll, beforeAll } from 'vitest';
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
  afterAll(async () => {
    await suite.shop?.down();
  }, 120_000);
  return suite;
}
