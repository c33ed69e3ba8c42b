import { type RunningShop, startShop } from '@bazaar/testing/shop';
import { devAdmin, type ShopClient, shopClient } from '@bazaar/testing/shop-client';

export type FaultShop = {
  shop: RunningShop;
  client: ShopClient;
  admin: string;
};

/**
 * The whole shop as processes, tuned for faults: the sweeper settles a checkout a crash left
 * pending after 2 s (not 30), sign-ups hash with argon2's lightest allowed cost so hundreds of
 * buyers sign up in seconds, and the rate limit is out of the way. Redis is used only when given.
 */
export async function startFaultShop(
  postgresUrl: string,
  options: { natsUrl?: string; redisUrl?: string } = {},
): Promise<FaultShop> {
  const redis = { REDIS_URL: options.redisUrl ?? '' };
  const shop = await startShop(
    postgresUrl,
    {
      identity: { ARGON2_MEMORY_KIB: '8192', ARGON2_TIME_COST: '1' },
      gateway: { ...redis, RATE_LIMIT_PER_MINUTE: '100000000' },
      catalog: redis,
      cart: redis,
      orders: { ORDER_SWEEP_INTERVAL_MS: '200', PENDING_GRACE_SECONDS: '2' },
    },
    { natsUrl: options.natsUrl },
  );
  const client = shopClient(shop.url);
  const admin = (await client.signIn(devAdmin.email, devAdmin.password)).accessToken;
  return { shop, client, admin };
}

/** Signs up `count` buyers, `batch` at a time; their access tokens. */
export async function signUpBuyers(
  client: ShopClient,
  count: number,
  batch = 20,
): Promise<string[]> {
  const tokens: string[] = [];
  for (let done = 0; done < count; done += batch) {
    const customers = await Promise.all(
      Array.from({ length: Math.min(batch, count - done) }, () => client.newCustomer()),
    );
    tokens.push(...customers.map((customer) => customer.token));
  }
  return tokens;
}
