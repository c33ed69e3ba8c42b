import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { type RunningCatalog, startCatalog } from './catalog-fixture.js';

let catalog: RunningCatalog;

beforeAll(async () => {
  catalog = await startCatalog(inject('postgresUrl'));
});

afterAll(() => catalog.close());

const call: RunningCatalog['send'] = (...args) => catalog.send(...args);
const quote = (payload: object) => catalog.quote(payload);
const publicRegions = async () =>
  (await catalog.app.inject({ method: 'GET', url: '/api/regions' })).json().items;
const switzerland = {
  name: 'Switzerland',
  currency: 'CHF',
  taxIncluded: true,
  taxShipping: true,
  defaultCountry: 'CH',
  countries: ['CH'],
};
const expectRefused = async (
  answer: Awaited<ReturnType<typeof call>>,
  field: string,
  message?: RegExp,
) => {
  expect(answer.statusCode, answer.body).toBe(422);
  expect(answer.json().errors).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        field,
        ...(message ? { message: expect.stringMatching(message) } : {}),
      }),
    ]),
  );
};

describe('regions', () => {
  test('admins see every region with how shipping is taxed and paused options; shoppers may not', async () => {
    const answer = await call('GET', '/api/admin/regions');
    expect(answer.statusCode).toBe(200);
    expect(answer.json().items[1]).toMatchObject({
      id: 'uk',
      taxShipping: true,
      shippingOptions: [
        expect.objectContaining({ id: 'uk-standard', active: true }),
        expect.anything(),
      ],
    });
    expect(
      (await call('GET', '/api/admin/regions', undefined, catalog.customerToken)).statusCode,
    ).toBe(403);
  });

  test('a new region comes last, and shoppers see it', async () => {
    const answer = await call('PUT', '/api/admin/regions/ch', switzerland);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toMatchObject({
      id: 'ch',
      currency: 'CHF',
      countries: ['CH'],
      shippingOptions: [],
    });
    expect((await publicRegions()).at(-1)).toMatchObject({ id: 'ch', name: 'Switzerland' });
  });

  test('a country another region sells to, a default country outside the region, or a made-up currency is a 422 naming the field', async () => {
    await expectRefused(
      await call('PUT', '/api/admin/regions/ch', { ...switzerland, countries: ['CH', 'DE'] }),
      'countries.1',
      /region eu/,
    );
    await expectRefused(
      await call('PUT', '/api/admin/regions/ch', { ...switzerland, defaultCountry: 'LI' }),
      'defaultCountry',
    );
    await expectRefused(
      await call('PUT', '/api/admin/regions/ch', { ...switzerland, currency: 'XYZ' }),
      'currency',
    );
  });
});

describe('shipping options', () => {
  const option = {
    regionId: 'eu',
    name: 'Pick-up point',
    estimate: '2–5 working days',
    countries: ['FR', 'BE'],
    rate: {
      kind: 'bands',
      bands: [
        { upTo: 4999, amount: 399 },
        { upTo: null, amount: 0 },
      ],
    },
    active: true,
  };

  test('a new option is offered where it serves; paused, shoppers no longer see it but admins do', async () => {
    const added = await call('PUT', '/api/admin/shipping-options/eu-pickup', option);
    expect(added.statusCode, added.body).toBe(204);
    const france = (
      await quote({ region: 'eu', country: 'FR', lines: [{ sku: 'BOK-01', quantity: 1 }] })
    ).json();
    expect(france.shippingOptions.map((o: { id: string }) => o.id)).toContain('eu-pickup');
    expect(
      france.shippingOptions.find((o: { id: string }) => o.id === 'eu-pickup').price.amount,
    ).toBe(france.subtotal.amount <= 4999 ? 399 : 0);
    expect(
      (await call('PUT', '/api/admin/shipping-options/eu-pickup', { ...option, active: false }))
        .statusCode,
    ).toBe(204);
    const eu = (await publicRegions()).find((r: { id: string }) => r.id === 'eu');
    expect(eu.shippingOptions.map((o: { id: string }) => o.id)).not.toContain('eu-pickup');
    const admin = (await call('GET', '/api/admin/regions'))
      .json()
      .items.find((r: { id: string }) => r.id === 'eu');
    expect(admin.shippingOptions).toContainEqual(
      expect.objectContaining({ id: 'eu-pickup', active: false }),
    );
  });

  test('bands that do not rise or end without a limit, a country outside the region, or an unknown region is a 422 naming the field', async () => {
    await expectRefused(
      await call('PUT', '/api/admin/shipping-options/eu-bad', {
        ...option,
        rate: {
          kind: 'bands',
          bands: [
            { upTo: 5000, amount: 1 },
            { upTo: 4000, amount: 1 },
            { upTo: null, amount: 0 },
          ],
        },
      }),
      'rate.bands.1.upTo',
    );
    await expectRefused(
      await call('PUT', '/api/admin/shipping-options/eu-bad', {
        ...option,
        rate: { kind: 'bands', bands: [{ upTo: 5000, amount: 1 }] },
      }),
      'rate.bands.0.upTo',
    );
    await expectRefused(
      await call('PUT', '/api/admin/shipping-options/eu-bad', { ...option, countries: ['GB'] }),
      'countries.0',
    );
    await expectRefused(
      await call('PUT', '/api/admin/shipping-options/eu-bad', { ...option, regionId: 'mars' }),
      'regionId',
    );
  });
});

describe('tax rates', () => {
  const bookTax = async () =>
    (await quote({ region: 'uk', lines: [{ sku: 'BOK-01', quantity: 1 }] })).json().lines[0]
      .taxRate;

  test('a category rate set applies to quotes; removed, the country rate applies', async () => {
    expect(await bookTax()).toBe(0);
    expect(
      (
        await call('PUT', '/api/admin/tax-rates', {
          country: 'GB',
          state: '',
          category: 'books',
          ratePpm: 50_000,
          name: 'GB VAT, books',
        })
      ).statusCode,
    ).toBe(204);
    expect(await bookTax()).toBe(50_000);
    expect((await call('GET', '/api/admin/tax-rates?country=GB')).json().items).toContainEqual({
      country: 'GB',
      state: '',
      category: 'books',
      ratePpm: 50_000,
      name: 'GB VAT, books',
    });
    expect(
      (await call('DELETE', '/api/admin/tax-rates?country=GB&category=books')).statusCode,
    ).toBe(204);
    expect(await bookTax()).toBe(200_000);
    expect(
      (await call('DELETE', '/api/admin/tax-rates?country=GB&category=books')).statusCode,
    ).toBe(404);
  });

  test('a country no region sells to, or an unknown category, is a 422 naming the field', async () => {
    const rate = { country: 'GB', state: '', category: '', ratePpm: 200_000, name: 'GB VAT' };
    await expectRefused(
      await call('PUT', '/api/admin/tax-rates', { ...rate, country: 'JP' }),
      'country',
    );
    await expectRefused(
      await call('PUT', '/api/admin/tax-rates', { ...rate, category: 'garage' }),
      'category',
    );
  });
});
