import { services } from '@bazaar/launcher/services';
import { type RunningShop, startShop } from './shop.js';
import { devAdmin, type ShopClient, shopClient } from './shop-client.js';

export type TunedShop = {
  shop: RunningShop;
  client: ShopClient;
  admin: string;
};

/**
 * The whole shop as processes, tuned for the fault and security suites: the sweeper settles a
 * checkout a crash left pending after 2 s (not 30), sign-ups hash with argon2's lightest allowed
 * cost so hundreds of buyers sign up in seconds, and the rate limit is out of the way unless
 * `rateLimitPerMinute` sets one. Redis is used only when given.
 */
export async function startTunedShop(
  postgresUrl: string,
  options: {
    natsUrl?: string;
    redisUrl?: string;
    rateLimitPerMinute?: number;
    /** Settings for every service, such as NODE_OPTIONS. */
    everyService?: Record<string, string>;
  } = {},
): Promise<TunedShop> {
  const redis = { REDIS_URL: options.redisUrl ?? '' };
  const tuned: Record<string, Record<string, string>> = {
    identity: { ARGON2_MEMORY_KIB: '8192', ARGON2_TIME_COST: '1' },
    gateway: { ...redis, RATE_LIMIT_PER_MINUTE: String(options.rateLimitPerMinute ?? 100_000_000) },
    catalog: redis,
    cart: redis,
    orders: { ORDER_SWEEP_INTERVAL_MS: '200', PENDING_GRACE_SECONDS: '2' },
  };
  const env = Object.fromEntries(
    services.map(({ name }) => [name, { ...options.everyService, ...tuned[name] }]),
  );
  const shop = await startShop(postgresUrl, env, { natsUrl: options.natsUrl });
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
