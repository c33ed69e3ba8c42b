import type { ShippingRate } from '@bazaar/contracts/shop-api';
import { CatalogError } from './errors.js';
import type { RatePpm } from './totals.js';

export type ShippingOption = {
  id: string;
  name: string;
  /** What the shopper is told of the delivery time: "2–4 working days". */
  estimate: string;
  /** The countries it serves; empty: every country of its region. */
  countries: string[];
  rate: ShippingRate;
  /** Offered to shoppers; a paused option is kept for admins. */
  active: boolean;
};

/** Where the shop sells: one currency, and prices that include tax or tax added to them. */
export type Region = {
  id: string;
  name: string;
  currency: string;
  taxIncluded: boolean;
  /** Shipping is taxed at the destination's standard rate. */
  taxShipping: boolean;
  /** Days after shipping a shopper may ask to return what they bought. */
  returnDays: number;
  /** Where a cart's tax is estimated for before the shopper gives an address. */
  defaultCountry: string;
  countries: string[];
  shippingOptions: ShippingOption[];
};

/** A tax rate of a country; `''` state or category: every one. */
export type TaxRate = { country: string; state: string; category: string; ratePpm: RatePpm };

/** The region asked for, or the shop's first when none is; an unknown one is the caller's error. */
export function regionOf(
  regions: readonly Region[],
  id: string | undefined,
  field: { field: string; in: 'querystring' | 'body' } = { field: 'region', in: 'querystring' },
): Region {
  const region = id === undefined ? regions[0] : regions.find((candidate) => candidate.id === id);
  if (region) return region;
  if (id === undefined) throw new Error('the shop has no region');
  throw new CatalogError('unknown_region', `There is no region ${id}`, {
    errors: [{ ...field, message: `is not one of ${regions.map((r) => r.id).join(', ')}` }],
  });
}

/**
 * The rate for goods of a category (nearest first) shipped to `country` and `state`: a state's rate
 * over its country's, a category's over every category's; no row at all is no tax.
 */
export function taxRateFor(
  rates: readonly TaxRate[],
  place: { country: string; state: string },
  categories: readonly string[],
): RatePpm {
  const states = place.state === '' ? [''] : [place.state, ''];
  for (const state of states) {
    for (const category of [...categories, '']) {
      const rate = rates.find(
        (candidate) =>
          candidate.country === place.country &&
          candidate.state === state &&
          candidate.category === category,
      );
      if (rate) return rate.ratePpm;
    }
  }
  return 0;
}
