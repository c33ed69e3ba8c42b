import { randomUUID } from 'node:crypto';
import { shopClient } from '@bazaar/testing/shop-client';

export type SmokeOptions = {
  /** Buy too: sign up (the link read from the mail log as `administrator`), add to cart, pay. */
  buy?: { administrator: { email: string; password: string } };
};

/**
 * A shopper's journey through a shop's public address, as the release takes it after each
 * deploy: the catalog and a product page (read-only, safe on prod), and, where buying is allowed
 * (staging), a sign-up, a cart and a checkout with the test card whose receipt is mailed. Each
 * step says what it took; the first that fails throws with what the shop answered.
 */
export async function smokeJourney(
  baseUrl: string,
  options: SmokeOptions = {},
  report: (step: string, milliseconds: number) => void = () => {},
): Promise<void> {
  const shop = shopClient(baseUrl, options.buy?.administrator);
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await run();
    report(name, performance.now() - started);
    return result;
  };
  const list = await step('the catalog', async () =>
    shop.expectStatus(
      await shop.call('GET', '/api/products?inStock=true&limit=5'),
      200,
      'the catalog',
    ),
  );
  const [first] = (list.body.items ?? []) as Array<{ slug: string }>;
  if (!first) throw new Error('the catalog: no product in stock');
  const product = await step('a product page', async () =>
    shop.expectStatus(await shop.call('GET', `/api/products/${first.slug}`), 200, 'a product page'),
  );
  if (!options.buy) return;

  const variants = product.body.variants as Array<{ sku: string; inStock: boolean }>;
  const sku = variants.find((variant) => variant.inStock)?.sku;
  if (!sku) throw new Error(`a product page: ${first.slug} lists no variant in stock`);
  const customer = await step('sign up and confirm the address', () => shop.newCustomer());
  await step('add to cart', () => shop.cartWith(customer.token, sku, 1));
  const order = await step('check out with the test card', async () => {
    const answer = await shop.checkout(customer.token, randomUUID());
    if (answer.status !== 201 || answer.body.status !== 'confirmed') {
      throw new Error(
        `checkout: expected 201 confirmed, got ${answer.status} ${JSON.stringify(answer.body)}`,
      );
    }
    return answer.body as { id: string };
  });
  await step('the receipt mailed', async () => {
    const receipt = await shop.mailTo(customer.email, 'receipt');
    // The receipt names the order by its number, the first eight characters of its id.
    const number = order.id.slice(0, 8).toUpperCase();
    if (!receipt.includes(number)) {
      throw new Error(`the receipt does not name order ${number}: ${receipt}`);
    }
  });
}
