import { describe, expect, test } from 'vitest';
import {
  addressProblems,
  cardBrandOf,
  cardDigits,
  cardProblems,
  expiryText,
  passesLuhn,
} from '../src/lib/checkout-form';
import {
  listingApiQuery,
  listingParams,
  maxPage,
  pageNumbers,
  readListing,
  withChange,
} from '../src/lib/listing-query';
import { formatMoney } from '../src/lib/money';
import { nextPath } from '../src/lib/next-path';
import { brandName, countryName, stockText } from '../src/lib/people';
import { ApiError, fieldMessages, nextStepAfter, toApiError } from '../src/lib/problem';
import { suggestionsFor } from '../src/lib/suggestions';
import { firstChoice, optionGroups, variantAfterChoice } from '../src/lib/variant-choice';

describe('money', () => {
  test('minor units in the currency of the amount, with its own digits', () => {
    expect(formatMoney({ amount: 9499, currency: 'USD' })).toBe('$94.99');
    expect(formatMoney({ amount: 123456, currency: 'EUR' }, 'de-DE')).toBe('1.234,56\u00a0€');
    expect(formatMoney({ amount: 500, currency: 'JPY' })).toBe('¥500');
  });
});

describe('the catalog state in the URL', () => {
  test('reads what is there, ignores what is not a sort, and writes back only what differs', () => {
    const listing = readListing(new URLSearchParams('q=lamp&sort=bogus&inStock=true&page=3'));
    expect(listing).toMatchObject({ q: 'lamp', sort: '', inStock: true, page: 3 });
    expect(listingParams(listing).toString()).toBe('q=lamp&inStock=true&page=3');
  });

  test('a page that is no number, or out of range, is the nearest page there is', () => {
    expect(readListing(new URLSearchParams('page=abc')).page).toBe(1);
    expect(readListing(new URLSearchParams('page=-4')).page).toBe(1);
    expect(readListing(new URLSearchParams('page=100000')).page).toBe(maxPage);
    expect(listingParams(readListing(new URLSearchParams('page=1'))).toString()).toBe('');
  });

  test('a changed filter starts again from the first page', () => {
    const listing = readListing(new URLSearchParams('q=lamp&page=4'));
    expect(withChange(listing, { category: 'lighting' }).page).toBe(1);
  });

  test('the pager shows the first, the last and the neighbours of the current page, with gaps', () => {
    expect(pageNumbers(1, 1)).toEqual([1]);
    expect(pageNumbers(1, 10)).toEqual([1, 2, 'gap', 10]);
    expect(pageNumbers(5, 10)).toEqual([1, 'gap', 4, 5, 6, 'gap', 10]);
    expect(pageNumbers(3, 10)).toEqual([1, 2, 3, 4, 'gap', 10]);
    expect(pageNumbers(10, 10)).toEqual([1, 'gap', 9, 10]);
    expect(pageNumbers(2, 4)).toEqual([1, 2, 3, 4]);
  });

  test('prices typed in units go to the API in minor units; nonsense is left out', () => {
    const listing = readListing(new URLSearchParams('minPrice=20&maxPrice=abc'));
    expect(listingApiQuery(listing, 24)).toBe('minPrice=2000&limit=24');
  });
});

describe('checkout form', () => {
  test('an address names each missing field', () => {
    expect(
      Object.keys(
        addressProblems({
          name: 'Ada',
          line1: '',
          line2: '',
          city: ' ',
          postalCode: 'N1',
          country: 'Britain',
          state: '',
        }),
      ),
    ).toEqual(['line1', 'city', 'country']);
  });

  test('a US address names its state; elsewhere none is asked for', () => {
    const address = {
      name: 'Ada',
      line1: '1 Main St',
      line2: '',
      city: 'Austin',
      postalCode: '78701',
    };
    expect(addressProblems({ ...address, country: 'US', state: '' })).toEqual({
      state: 'Choose the state.',
    });
    expect(addressProblems({ ...address, country: 'US', state: 'TX' })).toEqual({});
    expect(addressProblems({ ...address, country: 'DE', state: '' })).toEqual({});
  });

  test('card numbers are checked with Luhn, whatever the spacing', () => {
    expect(passesLuhn(cardDigits('4242 4242 4242 4242'))).toBe(true);
    expect(passesLuhn(cardDigits('4242-4242-4242-4241'))).toBe(false);
    expect(passesLuhn('12ab')).toBe(false);
  });
});

describe('API problems', () => {
  test("the shopper reads the problem's detail, and the form gets its field errors", () => {
    const error = toApiError(400, {
      detail: 'shippingAddress.country must match pattern',
      code: 'invalid_request',
      errors: [{ field: 'shippingAddress.country', in: 'body', message: 'must be two letters' }],
    });
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toBe('shippingAddress.country must match pattern');
    expect(fieldMessages(error)).toEqual({ 'shippingAddress.country': 'must be two letters' });
  });

  test('an answer without a problem body still reads as a sentence, never "undefined"', () => {
    expect(toApiError(502, undefined).message).toBe(
      'The shop is having trouble; please try again.',
    );
    expect(toApiError(404, '<html>').message).toBe('Not found.');
    expect(toApiError(418, {}).message).toBe('Request failed (418).');
  });
});

describe('where sign-in goes next', () => {
  const next = (value: string) => nextPath(new URLSearchParams({ next: value }));

  test('a path of the shop is kept, with its query', () => {
    expect(next('/orders/123?placed=1')).toBe('/orders/123?placed=1');
    expect(nextPath(new URLSearchParams())).toBe('/');
  });

  test('anything a browser would take to another site goes home instead', () => {
    for (const away of [
      'https://evil.example/',
      '//evil.example/',
      '/\\evil.example/',
      '/\\/evil.example/',
      '\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      'javascript:alert(1)',
    ]) {
      expect(next(away), JSON.stringify(away)).toBe('/');
    }
  });
});

describe('written for people', () => {
  test('stock: sold out, the few left counted, plenty just in stock', () => {
    expect([0, 1, 3, 5, 6, 240].map(stockText)).toEqual([
      'Sold out',
      'Only 1 left',
      'Only 3 left',
      'Only 5 left',
      'In stock',
      'In stock',
    ]);
  });

  test('countries by name and card brands as their owners write them', () => {
    expect(['GB', 'DE', 'US'].map(countryName)).toEqual([
      'United Kingdom',
      'Germany',
      'United States',
    ]);
    expect(['visa', 'mastercard', 'unionpay'].map(brandName)).toEqual([
      'Visa',
      'Mastercard',
      'Unionpay',
    ]);
  });
});

describe('after a checkout that did not go through', () => {
  test('a declined card or a stock-out says what to do next; other problems leave it to their detail', () => {
    expect(nextStepAfter(new ApiError(402, 'card_declined', 'The card was declined'))).toMatch(
      /Try another card/,
    );
    expect(nextStepAfter(new ApiError(409, 'out_of_stock', 'Not enough'))).toMatch(
      /Lower the quantity/,
    );
    expect(nextStepAfter(new ApiError(400, 'validation', 'Bad'))).toBeUndefined();
    expect(nextStepAfter(new Error('offline'))).toBeUndefined();
  });
});

describe('choosing a variant by its options', () => {
  const shirt = (colour: string, size: string, inStock = true) => ({
    sku: `${colour}-${size}`,
    options: { colour, size },
    inStock,
  });
  const variants = [
    shirt('Sand', 'S'),
    shirt('Sand', 'M', false),
    shirt('Navy', 'S', false),
    shirt('Navy', 'M'),
  ];

  test('each option is a labelled group; a value is sold out when no variant in stock has it with the other choices', () => {
    expect(optionGroups(variants, { colour: 'Sand', size: 'S' })).toEqual([
      {
        name: 'colour',
        label: 'Colour',
        values: [
          { value: 'Sand', soldOut: false },
          { value: 'Navy', soldOut: true },
        ],
      },
      {
        name: 'size',
        label: 'Size',
        values: [
          { value: 'S', soldOut: false },
          { value: 'M', soldOut: true },
        ],
      },
    ]);
  });

  test('picking a value keeps the other choices when that variant is in stock, else moves to one that is', () => {
    expect(variantAfterChoice(variants, { colour: 'Sand', size: 'S' }, 'colour', 'Navy')?.sku).toBe(
      'Navy-M',
    );
    expect(variantAfterChoice(variants, { colour: 'Navy', size: 'M' }, 'size', 'S')?.sku).toBe(
      'Sand-S',
    );
  });

  test('the page opens on the first variant in stock', () => {
    expect(firstChoice([shirt('Sand', 'S', false), shirt('Sand', 'M')])?.sku).toBe('Sand-M');
    expect(firstChoice([shirt('Sand', 'S', false)])?.sku).toBe('Sand-S');
  });
});

describe('search suggestions', () => {
  const tree = [
    {
      slug: 'home',
      name: 'Home',
      children: [
        { slug: 'lighting', name: 'Lighting', children: [] },
        { slug: 'table-linen', name: 'Table Linen', children: [] },
      ],
    },
  ];
  const listing = (names: string[], correctedQuery?: string) => ({
    items: names.map((name, index) => ({
      id: String(index),
      slug: name.toLowerCase().replaceAll(' ', '-'),
      name,
      description: '',
      status: 'active' as const,
      category: { slug: 'lighting', name: 'Lighting' },
      images: [],
      price: { amount: 4500, currency: 'USD' },
      variantCount: 1,
      inStock: true,
    })),
    nextCursor: null,
    total: names.length,
    facets: { categories: [] },
    ...(correctedQuery && { correctedQuery }),
  });

  test('aisles whose words start as typed come first, then the products found, then the search', () => {
    expect(
      suggestionsFor('lin', tree, listing(['Linen Shade Desk Lamp'])).map((s) => [s.name, s.to]),
    ).toEqual([
      ['Table Linen', '/?category=table-linen'],
      ['Linen Shade Desk Lamp', '/products/linen-shade-desk-lamp'],
      ['All results for “lin”', '/?q=lin'],
    ]);
  });

  test('a misspelled search offers the products of its correction and says so', () => {
    const offered = suggestionsFor('lammp', tree, listing(['Oak Desk Lamp'], 'lamp'));
    expect(offered.at(-1)).toEqual({
      kind: 'search',
      name: 'All results for “lamp” (no products for “lammp”)',
      to: '/?q=lamp',
    });
  });
});

describe('the card form', () => {
  const card = { number: '4242 4242 4242 4242', expiry: '07/34', cvc: '123', name: 'Ada Lovelace' };
  const june2030 = new Date(2030, 5, 15);

  test('the brand shows from the first digits', () => {
    expect(cardBrandOf('4242')).toBe('visa');
    expect(cardBrandOf('5555')).toBe('mastercard');
    expect(cardBrandOf('2223')).toBe('mastercard');
    expect(cardBrandOf('3782')).toBe('amex');
    expect(cardBrandOf('6011')).toBeUndefined();
  });

  test('an expiry typed any usual way is MM/YY; a month that is none is refused', () => {
    expect(expiryText('0734')).toBe('07/34');
    expect(expiryText('7/34')).toBe('07/34');
    expect(expiryText(' 07 / 34 ')).toBe('07/34');
    expect(expiryText('13/34')).toBeUndefined();
    expect(expiryText('07/2034')).toBeUndefined();
  });

  test('a card is good through its expiry month; the code has 3 digits, 4 on American Express', () => {
    expect(cardProblems(card, june2030)).toEqual({});
    expect(cardProblems({ ...card, expiry: '06/30' }, june2030)).toEqual({});
    expect(Object.keys(cardProblems({ ...card, expiry: '05/30' }, june2030))).toEqual(['expiry']);
    expect(Object.keys(cardProblems({ ...card, cvc: '1234' }, june2030))).toEqual(['cvc']);
    const amex = { ...card, number: '3782 822463 10005' };
    expect(Object.keys(cardProblems(amex, june2030))).toEqual(['cvc']);
    expect(cardProblems({ ...amex, cvc: '1234' }, june2030)).toEqual({});
    expect(
      Object.keys(cardProblems({ number: '4242', expiry: '', cvc: '', name: ' ' }, june2030)),
    ).toEqual(['name', 'number', 'expiry', 'cvc']);
  });
});
