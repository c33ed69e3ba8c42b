import { describe, expect, test } from 'vitest';
import { addressProblems, cardDigits, passesLuhn } from '../src/lib/checkout-form';
import { listingApiQuery, listingParams, readListing, withChange } from '../src/lib/listing-query';
import { formatMoney } from '../src/lib/money';
import { nextPath } from '../src/lib/next-path';
import { brandName, countryName, stockText } from '../src/lib/people';
import { ApiError, fieldMessages, nextStepAfter, toApiError } from '../src/lib/problem';

describe('money', () => {
  test('minor units in the currency of the amount, with its own digits', () => {
    expect(formatMoney({ amount: 9499, currency: 'USD' })).toBe('$94.99');
    expect(formatMoney({ amount: 123456, currency: 'EUR' }, 'de-DE')).toBe('1.234,56\u00a0€');
    expect(formatMoney({ amount: 500, currency: 'JPY' })).toBe('¥500');
  });
});

describe('the catalog state in the URL', () => {
  test('reads what is there, ignores what is not a sort, and writes back only what differs', () => {
    const listing = readListing(new URLSearchParams('q=lamp&sort=bogus&inStock=true&cursor=abc'));
    expect(listing).toMatchObject({ q: 'lamp', sort: '', inStock: true, cursor: 'abc' });
    expect(listingParams(listing).toString()).toBe('q=lamp&inStock=true&cursor=abc');
  });

  test('a changed filter starts again from the first page', () => {
    const listing = readListing(new URLSearchParams('q=lamp&cursor=abc'));
    expect(withChange(listing, { category: 'lighting' }).cursor).toBe('');
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
