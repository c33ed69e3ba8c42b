import type { NewRegion } from '../store/region-store.js';

const percent = (rate: number) => Math.round(rate * 10_000);

/** A country's standard rate and, where it has one, its reduced rate for books. */
const vat = (country: string, standard: number, books: number) => [
  { country, state: '', category: '', ratePpm: percent(standard), name: `${country} VAT` },
  { country, state: '', category: 'books', ratePpm: percent(books), name: `${country} VAT, books` },
];

/** State sales taxes (the states' own rates; local taxes are left out of the demo). */
const salesTax = (rates: Record<string, number>) =>
  Object.entries(rates).map(([state, rate]) => ({
    country: 'US',
    state,
    category: '',
    ratePpm: percent(rate),
    name: `${state} sales tax`,
  }));

/**
 * The demo shop's regions: the US (where the shop sold before it had regions: dollars, tax added,
 * by state), the UK and the EU (prices include VAT, books at a reduced rate, shipping taxed).
 */
export const demoRegions: NewRegion[] = [
  {
    id: 'us',
    name: 'United States',
    currency: 'USD',
    taxIncluded: false,
    taxShipping: false,
    returnDays: 30,
    defaultCountry: 'US',
    countries: ['US'],
    shippingOptions: [
      {
        id: 'us-standard',
        name: 'Standard',
        estimate: '3–5 business days',
        countries: [],
        active: true,
        rate: { kind: 'flat', amount: 499 },
      },
      {
        id: 'us-express',
        name: 'Express',
        estimate: '1–2 business days',
        countries: [],
        active: true,
        rate: { kind: 'flat', amount: 1499 },
      },
    ],
    taxRates: salesTax({
      CA: 7.25,
      FL: 6,
      IL: 6.25,
      MA: 6.25,
      NJ: 6.625,
      NY: 4,
      OR: 0,
      TX: 6.25,
      WA: 6.5,
    }),
  },
  {
    id: 'uk',
    name: 'United Kingdom',
    currency: 'GBP',
    taxIncluded: true,
    taxShipping: true,
    returnDays: 30,
    defaultCountry: 'GB',
    countries: ['GB'],
    shippingOptions: [
      {
        id: 'uk-standard',
        name: 'Standard',
        estimate: '2–4 working days',
        countries: [],
        active: true,
        rate: { kind: 'free_over', amount: 399, threshold: 5000 },
      },
      {
        id: 'uk-next-day',
        name: 'Next day',
        estimate: 'Next working day if ordered by 2 pm',
        countries: [],
        active: true,
        rate: { kind: 'flat', amount: 699 },
      },
    ],
    taxRates: vat('GB', 20, 0),
  },
  {
    id: 'eu',
    name: 'European Union',
    currency: 'EUR',
    taxIncluded: true,
    taxShipping: true,
    returnDays: 14,
    defaultCountry: 'DE',
    countries: ['AT', 'BE', 'DE', 'ES', 'FR', 'IE', 'IT', 'NL'],
    shippingOptions: [
      {
        id: 'eu-standard',
        name: 'Standard',
        estimate: '3–6 working days',
        countries: [],
        active: true,
        rate: {
          kind: 'bands',
          bands: [
            { upTo: 2999, amount: 699 },
            { upTo: 9999, amount: 499 },
            { upTo: null, amount: 0 },
          ],
        },
      },
      {
        id: 'eu-express',
        name: 'Express',
        estimate: '1–2 working days',
        countries: ['BE', 'DE', 'FR', 'NL'],
        active: true,
        rate: { kind: 'flat', amount: 1499 },
      },
    ],
    taxRates: [
      ...vat('AT', 20, 10),
      ...vat('BE', 21, 6),
      ...vat('DE', 19, 7),
      ...vat('ES', 21, 4),
      ...vat('FR', 20, 5.5),
      ...vat('IE', 23, 0),
      ...vat('IT', 22, 4),
      ...vat('NL', 21, 9),
    ],
  },
];
