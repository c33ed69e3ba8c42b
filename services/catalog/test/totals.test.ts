import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { computeTotals, type Discount, type TotalsInput } from '../src/domain/totals.js';

/**
 * A reference model of the rules in docs/decisions/0027, written apart from the code: every amount
 * an exact fraction of minor units, rounded only where the rules say, by comparing remainders.
 */
type Fraction = { n: bigint; d: bigint };
const fraction = (n: bigint, d = 1n): Fraction => ({ n, d });
const times = (a: Fraction, b: Fraction): Fraction => fraction(a.n * b.n, a.d * b.d);
const over = (a: Fraction, b: Fraction): Fraction => fraction(a.n * b.d, a.d * b.n);
const floorOf = (a: Fraction): bigint => a.n / a.d;
/** Half up: the floor, plus one when what is left is at least half a unit. */
const roundHalfUp = (a: Fraction): bigint => {
  const floor = floorOf(a);
  const left = a.n - floor * a.d;
  return 2n * left >= a.d ? floor + 1n : floor;
};

function model(input: TotalsInput) {
  const values = input.lines.map((line) => BigInt(line.unitPrice) * BigInt(line.quantity));
  const discount = input.discount;
  const eligible = input.lines.map(
    (line) =>
      discount !== null &&
      discount.kind !== 'free_shipping' &&
      (discount.category === null || line.categories.includes(discount.category)),
  );
  let discounts = values.map(() => 0n);
  if (discount?.kind === 'percentage') {
    discounts = values.map((value, i) =>
      eligible[i] ? roundHalfUp(fraction(value * BigInt(discount.percent), 100n)) : 0n,
    );
  } else if (discount?.kind === 'fixed') {
    const base = values.reduce((sum, value, i) => (eligible[i] ? sum + value : sum), 0n);
    const amount = BigInt(discount.amount) < base ? BigInt(discount.amount) : base;
    if (base > 0n) {
      const exact = values.map((value, i) =>
        eligible[i] ? over(times(fraction(amount), fraction(value)), fraction(base)) : fraction(0n),
      );
      discounts = exact.map(floorOf);
      let left = amount - discounts.reduce((sum, share) => sum + share, 0n);
      // Largest remainder first (compared as fractions of the same denominator), earlier on a tie.
      const order = exact
        .map((share, i) => ({ i, rest: share.n - floorOf(share) * share.d }))
        .sort((a, b) => (b.rest > a.rest ? 1 : b.rest < a.rest ? -1 : a.i - b.i));
      for (const { i } of order) {
        if (left === 0n) break;
        discounts[i] = (discounts[i] as bigint) + 1n;
        left -= 1n;
      }
    }
  }
  const taxOn = (amount: bigint, ppm: number) => {
    const rate = fraction(BigInt(ppm), 1_000_000n);
    return input.taxIncluded
      ? roundHalfUp(over(times(fraction(amount), rate), fraction(rate.d + rate.n, rate.d)))
      : roundHalfUp(times(fraction(amount), rate));
  };
  const lineTaxes = values.map((value, i) =>
    taxOn(value - (discounts[i] as bigint), input.lines[i]?.taxRate ?? 0),
  );
  const subtotal = values.reduce((a, b) => a + b, 0n);
  const discountTotal = discounts.reduce((a, b) => a + b, 0n);
  const goods = subtotal - discountTotal;
  let shipping = 0n;
  const rate = input.shipping?.rate;
  if (rate && discount?.kind !== 'free_shipping') {
    if (rate.kind === 'flat') shipping = BigInt(rate.amount);
    if (rate.kind === 'free_over')
      shipping = goods >= BigInt(rate.threshold) ? 0n : BigInt(rate.amount);
    if (rate.kind === 'bands') {
      for (const band of rate.bands) {
        if (band.upTo === null || goods <= BigInt(band.upTo)) {
          shipping = BigInt(band.amount);
          break;
        }
      }
    }
  }
  const shippingTax = taxOn(shipping, input.shipping?.taxRate ?? 0);
  const tax = lineTaxes.reduce((a, b) => a + b, 0n) + shippingTax;
  const total = goods + shipping + (input.taxIncluded ? 0n : tax);
  return {
    lines: input.lines.map((line, i) => ({
      sku: line.sku,
      lineTotal: Number(values[i]),
      discount: Number(discounts[i]),
      tax: Number(lineTaxes[i]),
    })),
    subtotal: Number(subtotal),
    discount: Number(discountTotal),
    shipping: Number(shipping),
    shippingTax: Number(shippingTax),
    tax: Number(tax),
    total: Number(total),
  };
}

const categoryPaths = [
  ['books', 'stationery'],
  ['pens-desk', 'stationery'],
  ['lighting', 'home'],
  ['tops', 'clothing'],
];
const rates = fc.oneof(
  fc.constantFrom(0, 50_000, 55_000, 70_000, 190_000, 200_000, 210_000, 230_000, 66_250, 72_500),
  fc.integer({ min: 0, max: 300_000 }),
);
const line = fc.record({
  sku: fc.stringMatching(/^[A-Z]{3}-[0-9]{2}$/),
  quantity: fc.integer({ min: 1, max: 99 }),
  // Equal prices often, so that remainders tie.
  unitPrice: fc.oneof(
    fc.constantFrom(100, 250, 999, 1000),
    fc.integer({ min: 1, max: 9_999 }),
    fc.integer({ min: 1, max: 2_000_000 }),
  ),
  categories: fc.constantFrom(...categoryPaths),
  taxRate: rates,
});
const category = fc.constantFrom(null, 'books', 'stationery', 'lighting', 'tops', 'toys-games');
const discount: fc.Arbitrary<Discount | null> = fc.oneof(
  fc.constant(null),
  fc.record({
    kind: fc.constant('percentage' as const),
    percent: fc.integer({ min: 1, max: 100 }),
    category,
  }),
  fc.record({
    kind: fc.constant('fixed' as const),
    amount: fc.integer({ min: 1, max: 5_000_000 }),
    category,
  }),
  fc.constant({ kind: 'free_shipping' as const }),
);
const shippingRate = fc.oneof(
  fc.record({ kind: fc.constant('flat' as const), amount: fc.integer({ min: 0, max: 5_000 }) }),
  fc.record({
    kind: fc.constant('free_over' as const),
    amount: fc.integer({ min: 1, max: 5_000 }),
    threshold: fc.integer({ min: 1, max: 200_000 }),
  }),
  fc
    .uniqueArray(fc.integer({ min: 1, max: 500_000 }), { minLength: 0, maxLength: 3 })
    .chain((limits) =>
      fc.record({
        kind: fc.constant('bands' as const),
        bands: fc.tuple(
          ...[...limits.sort((a, b) => a - b), null].map((upTo) =>
            fc.record({ upTo: fc.constant(upTo), amount: fc.integer({ min: 0, max: 5_000 }) }),
          ),
        ),
      }),
    ),
);
const inputs: fc.Arbitrary<TotalsInput> = fc.record({
  taxIncluded: fc.boolean(),
  lines: fc.array(line, { minLength: 1, maxLength: 8 }),
  shipping: fc.option(fc.record({ rate: shippingRate, taxRate: rates }), { nil: null }),
  discount,
});

describe('totals', () => {
  test('agree with the reference model to the minor unit, over random carts, rates, codes and tax modes', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        expect(computeTotals(input)).toMatchObject(model(input));
      }),
      { numRuns: 2000 },
    );
  });

  test('add up: subtotal − discount + shipping (+ tax where it is added) = total, in integers', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const totals = computeTotals(input);
        const amounts = [
          totals.subtotal,
          totals.discount,
          totals.shipping,
          totals.tax,
          totals.total,
        ];
        for (const amount of amounts)
          expect(Number.isSafeInteger(amount) && amount >= 0).toBe(true);
        expect(
          totals.subtotal -
            totals.discount +
            totals.shipping +
            (input.taxIncluded ? 0 : totals.tax),
        ).toBe(totals.total);
        expect(totals.lines.reduce((sum, l) => sum + l.lineTotal, 0)).toBe(totals.subtotal);
        expect(totals.lines.reduce((sum, l) => sum + l.tax, 0) + totals.shippingTax).toBe(
          totals.tax,
        );
        for (const l of totals.lines) expect(l.discount).toBeLessThanOrEqual(l.lineTotal);
      }),
      { numRuns: 1000 },
    );
  });

  test('a fixed amount off takes exactly that much, or all the eligible lines are worth', () => {
    fc.assert(
      fc.property(
        inputs,
        fc.integer({ min: 1, max: 5_000_000 }),
        category,
        (input, amount, only) => {
          const totals = computeTotals({
            ...input,
            discount: { kind: 'fixed', amount, category: only },
          });
          const eligible = totals.lines
            .filter((_, i) => only === null || input.lines[i]?.categories.includes(only))
            .reduce((sum, l) => sum + l.lineTotal, 0);
          expect(totals.discount).toBe(Math.min(amount, eligible));
        },
      ),
    );
  });

  test('where prices include tax, the goods cost what the product pages said', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), (lines) => {
        const totals = computeTotals({ taxIncluded: true, lines, shipping: null, discount: null });
        expect(totals.total).toBe(lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0));
      }),
    );
  });

  test('the documented examples', () => {
    // UK: a £25.00 mug at 20 % VAT included is £4.17 of VAT (416.67 rounded half up).
    const uk = computeTotals({
      taxIncluded: true,
      lines: [
        {
          sku: 'MUG-01',
          quantity: 1,
          unitPrice: 2500,
          categories: ['tableware'],
          taxRate: 200_000,
        },
      ],
      shipping: { rate: { kind: 'flat', amount: 499 }, taxRate: 200_000 },
      discount: null,
    });
    expect(uk).toMatchObject({ subtotal: 2500, shipping: 499, tax: 417 + 83, total: 2999 });
    // US (New Jersey, 6.625 % added): $10.00 × 3 less 10 % is $27.00, and $1.79 of tax (178.875).
    const us = computeTotals({
      taxIncluded: false,
      lines: [
        { sku: 'PEN-01', quantity: 3, unitPrice: 1000, categories: ['pens-desk'], taxRate: 66_250 },
      ],
      shipping: { rate: { kind: 'free_over', amount: 599, threshold: 2500 }, taxRate: 0 },
      discount: { kind: 'percentage', percent: 10, category: null },
    });
    expect(us).toMatchObject({ subtotal: 3000, discount: 300, shipping: 0, tax: 179, total: 2879 });
    // $10 off three $10 lines is 333⅓ each: the unit the thirds leave goes to the first line.
    const split = computeTotals({
      taxIncluded: false,
      lines: ['A-1', 'B-1', 'C-1'].map((sku) => ({
        sku,
        quantity: 1,
        unitPrice: 1000,
        categories: [],
        taxRate: 0,
      })),
      shipping: null,
      discount: { kind: 'fixed', amount: 1000, category: null },
    });
    expect(split.lines.map((l) => l.discount)).toEqual([334, 333, 333]);
  });
});
