import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { type RunningCatalog, startCatalog } from './catalog-fixture.js';

let catalog: RunningCatalog;

beforeAll(async () => {
  catalog = await startCatalog(inject('postgresUrl'));
});

afterAll(() => catalog.close());

const get = (url: string) => catalog.app.inject({ method: 'GET', url });
const quote = (payload: object) => catalog.quote(payload);
/** The documented rounding: half up to the minor unit. */
const halfUp = (numerator: number, denominator: number) =>
  Math.floor((2 * numerator + denominator) / (2 * denominator));

const lamp = 'LGT-05-SND';
const book = 'BOK-01';

describe('GET /api/regions', () => {
  test('lists the demo regions, the default first, each with its currency, tax mode, countries and shipping options', async () => {
    const answer = await get('/api/regions');
    expect(answer.statusCode).toBe(200);
    const regions = answer.json().items;
    expect(
      regions.map((r: { id: string; currency: string; taxIncluded: boolean }) => [
        r.id,
        r.currency,
        r.taxIncluded,
      ]),
    ).toEqual([
      ['us', 'USD', false],
      ['uk', 'GBP', true],
      ['eu', 'EUR', true],
    ]);
    const eu = regions[2];
    expect(eu.countries).toContain('FR');
    expect(eu.shippingOptions).toEqual([
      expect.objectContaining({ id: 'eu-standard', estimate: '3–6 working days', countries: [] }),
      expect.objectContaining({ id: 'eu-express', countries: ['BE', 'DE', 'FR', 'NL'] }),
    ]);
  });
});

describe('prices by region', () => {
  test("the listing and a product page show the region's prices in its currency", async () => {
    const byRegion = async (region: string) => {
      const page = (await get(`/api/products?region=${region}&q=oak%20desk%20lamp`)).json();
      const product = (await get(`/api/products/oak-desk-lamp?region=${region}`)).json();
      return {
        listed: page.items[0].price,
        variant: product.variants.find((v: { sku: string }) => v.sku === lamp).price,
      };
    };
    const uk = await byRegion('uk');
    expect(uk.listed.currency).toBe('GBP');
    expect(uk.variant.currency).toBe('GBP');
    expect((await byRegion('eu')).variant.currency).toBe('EUR');
    expect((await get('/api/products/oak-desk-lamp')).json().price.currency).toBe('USD');
  });

  test('price filters and sorts are in the region currency', async () => {
    const cheapest = async (region: string) =>
      (await get(`/api/products?region=${region}&sort=price_asc&limit=5`))
        .json()
        .items.map((item: { price: { amount: number; currency: string } }) => item.price);
    const gbp = await cheapest('uk');
    expect(gbp.every((price: { currency: string }) => price.currency === 'GBP')).toBe(true);
    expect(gbp.map((price: { amount: number }) => price.amount)).toEqual(
      [...gbp.map((price: { amount: number }) => price.amount)].sort((a, b) => a - b),
    );
    const under = (await get(`/api/products?region=uk&maxPrice=${gbp[0].amount}`)).json();
    expect(
      under.items.every(
        (item: { price: { amount: number } }) => item.price.amount <= gbp[0].amount,
      ),
    ).toBe(true);
  });

  test('an unknown region is a 400 naming the field', async () => {
    const answer = await get('/api/products?region=mars');
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({
      code: 'unknown_region',
      errors: [{ field: 'region', in: 'querystring' }],
    });
  });
});

describe('POST /internal/quotes', () => {
  test('the UK: prices include VAT, books zero-rated, the tax is the part of each price that is VAT, shipping free over £50', async () => {
    const answer = await quote({
      region: 'uk',
      lines: [
        { sku: lamp, quantity: 1 },
        { sku: book, quantity: 2 },
      ],
    });
    expect(answer.statusCode).toBe(200);
    const body = answer.json();
    const [lampLine, bookLine] = body.lines;
    expect(lampLine.unitPrice.currency).toBe('GBP');
    expect(lampLine.taxRate).toBe(200_000);
    expect(lampLine.tax.amount).toBe(halfUp(lampLine.lineTotal.amount, 6));
    expect(bookLine).toMatchObject({ taxRate: 0, tax: { amount: 0 } });
    expect(body.shippingOption).toMatchObject({ id: 'uk-standard' });
    const subtotal = lampLine.lineTotal.amount + bookLine.lineTotal.amount;
    const shipping = subtotal >= 5000 ? 0 : 399;
    expect(body).toMatchObject({
      taxIncluded: true,
      subtotal: { amount: subtotal, currency: 'GBP' },
      discount: { amount: 0 },
      shipping: { amount: shipping },
      tax: { amount: lampLine.tax.amount + halfUp(shipping, 6) },
      total: { amount: subtotal + shipping },
    });
  });

  test('Germany: books at the reduced 7 %', async () => {
    const body = (
      await quote({ region: 'eu', country: 'DE', lines: [{ sku: book, quantity: 1 }] })
    ).json();
    expect(body.lines[0]).toMatchObject({ taxRate: 70_000 });
    expect(body.lines[0].tax.amount).toBe(halfUp(body.lines[0].lineTotal.amount * 7, 107));
  });

  test("the US: tax added at the state's rate, none before a state is known", async () => {
    const nj = (
      await quote({ region: 'us', country: 'US', state: 'NJ', lines: [{ sku: lamp, quantity: 3 }] })
    ).json();
    const line = nj.lines[0];
    expect(line.tax.amount).toBe(halfUp(line.lineTotal.amount * 66_250, 1_000_000));
    expect(nj.total.amount).toBe(nj.subtotal.amount + nj.shipping.amount + nj.tax.amount);
    const unknown = (await quote({ lines: [{ sku: lamp, quantity: 3 }] })).json();
    expect(unknown).toMatchObject({ region: 'us', currency: 'USD', tax: { amount: 0 } });
  });

  test('the options that serve the country, each priced for these lines; bands by value', async () => {
    const italy = (
      await quote({ region: 'eu', country: 'IT', lines: [{ sku: book, quantity: 1 }] })
    ).json();
    expect(italy.shippingOptions.map((o: { id: string }) => o.id)).toEqual(['eu-standard']);
    const goods = italy.subtotal.amount;
    expect(italy.shipping.amount).toBe(goods <= 2999 ? 699 : goods <= 9999 ? 499 : 0);
  });

  test('an option that does not deliver to the country is a 422 naming shippingOptionId', async () => {
    const answer = await quote({
      region: 'eu',
      country: 'IT',
      shippingOptionId: 'eu-express',
      lines: [{ sku: book, quantity: 1 }],
    });
    expect(answer.statusCode).toBe(422);
    expect(answer.json()).toMatchObject({
      code: 'shipping_unavailable',
      errors: [{ field: 'shippingOptionId' }],
    });
    expect(
      (
        await quote({
          region: 'eu',
          shippingOptionId: 'uk-next-day',
          lines: [{ sku: book, quantity: 1 }],
        })
      ).json(),
    ).toMatchObject({
      errors: [{ field: 'shippingOptionId', message: 'is not a shipping option of this region' }],
    });
  });

  test('a country the region does not sell to is a 422 naming country', async () => {
    const answer = await quote({
      region: 'uk',
      country: 'FR',
      lines: [{ sku: book, quantity: 1 }],
    });
    expect(answer.statusCode).toBe(422);
    expect(answer.json()).toMatchObject({
      code: 'country_not_in_region',
      errors: [{ field: 'country' }],
    });
  });

  test('SKUs that cannot be sold are named and left out of the sums', async () => {
    const body = (
      await quote({
        region: 'uk',
        lines: [
          { sku: 'NOPE-1', quantity: 1 },
          { sku: book, quantity: 1 },
        ],
      })
    ).json();
    expect(body.unavailable).toEqual(['NOPE-1']);
    expect(body.lines.map((l: { sku: string }) => l.sku)).toEqual([book]);
  });

  test('a country alone picks the region that sells there; one no region sells to is a 422 naming country', async () => {
    const france = await quote({ country: 'FR', lines: [{ sku: book, quantity: 1 }] });
    const japan = await quote({ country: 'JP', lines: [{ sku: book, quantity: 1 }] });

    expect(france.json()).toMatchObject({ region: 'eu', currency: 'EUR', country: 'FR' });
    expect(japan.statusCode).toBe(422);
    expect(japan.json()).toMatchObject({
      code: 'country_not_served',
      errors: [{ field: 'country' }],
    });
  });

  test("an order's address in the US names its state, which sets the tax; a cart's estimate does without", async () => {
    const lines = [{ sku: book, quantity: 1 }];
    const order = await quote({ country: 'US', lines, forOrder: true });
    const texas = await quote({ country: 'US', state: 'TX', lines, forOrder: true });
    const estimate = await quote({ country: 'US', lines });

    expect(order.statusCode).toBe(422);
    expect(order.json()).toMatchObject({ code: 'state_required', errors: [{ field: 'state' }] });
    expect(texas.json().tax.amount).toBeGreaterThan(0);
    expect(estimate.json().tax.amount).toBe(0);
  });

  test('no lines: nothing to ship, every sum zero, in the region currency', async () => {
    const body = (await quote({ region: 'uk', lines: [] })).json();
    expect(body).toMatchObject({ currency: 'GBP', lines: [], shippingOptions: [] });
    expect(body.shipping).toEqual({ amount: 0, currency: 'GBP' });
    expect(body.total).toEqual({ amount: 0, currency: 'GBP' });
  });
});
