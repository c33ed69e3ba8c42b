import type { ShippingRate } from '@bazaar/contracts/shop-api';

/**
 * What a cart or an order costs: its lines at the region's prices, less a promotion, plus shipping
 * and tax, all in integer minor units (docs/decisions/0027-pricing-in-catalog.md has the rules).
 *
 * - A percentage off is taken from each eligible line and rounded half up to the minor unit.
 * - A fixed amount off (never more than the eligible lines' value) is spread over the eligible
 *   lines in proportion to their value; the minor units the division leaves go one each to the
 *   lines with the largest remainders, the earlier line first on a tie.
 * - Shipping is the option's rate for the goods' value after the discount; free shipping makes it 0.
 * - Tax is computed on each line after its discount, and on shipping, rounded half up per line:
 *   added to the price where tax is added (`amount × rate`), the part of the price that is tax
 *   where prices include it (`amount × rate / (1 + rate)`).
 * - `subtotal − discount + shipping + tax = total` where tax is added, `subtotal − discount +
 *   shipping = total` where prices include it (and `tax` is the part of the total that is tax).
 */

/** A tax rate in millionths: 20 % is 200 000, New Jersey's 6.625 % is 66 250. */
export type RatePpm = number;

export type PricedLine = {
  sku: string;
  quantity: number;
  /** The price as listed in the region: tax included where the region's prices include it. */
  unitPrice: number;
  /** The line's category and its ancestors, nearest first: what a category promotion matches. */
  categories: readonly string[];
  taxRate: RatePpm;
};

export type Discount =
  | { kind: 'percentage'; percent: number; category: string | null }
  | { kind: 'fixed'; amount: number; category: string | null }
  | { kind: 'free_shipping' };

export type TotalsInput = {
  taxIncluded: boolean;
  lines: readonly PricedLine[];
  shipping: { rate: ShippingRate; taxRate: RatePpm } | null;
  discount: Discount | null;
};

export type LineTotals = {
  sku: string;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
  discount: number;
  tax: number;
  taxRate: RatePpm;
};

export type Totals = {
  taxIncluded: boolean;
  lines: LineTotals[];
  subtotal: number;
  discount: number;
  shipping: number;
  shippingTax: number;
  tax: number;
  total: number;
};

export function computeTotals(input: TotalsInput): Totals {
  const lineTotals = input.lines.map((line) => line.unitPrice * line.quantity);
  const discounts = lineDiscounts(input.lines, lineTotals, input.discount);
  const lines = input.lines.map((line, index): LineTotals => {
    const lineTotal = lineTotals[index] as number;
    const discount = discounts[index] as number;
    return {
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      lineTotal,
      discount,
      tax: taxOf(lineTotal - discount, line.taxRate, input.taxIncluded),
      taxRate: line.taxRate,
    };
  });
  const subtotal = sum(lineTotals);
  const discount = sum(discounts);
  const shipping =
    input.shipping && input.discount?.kind !== 'free_shipping'
      ? shippingFor(input.shipping.rate, subtotal - discount)
      : 0;
  const shippingTax = taxOf(shipping, input.shipping?.taxRate ?? 0, input.taxIncluded);
  const tax = sum(lines.map((line) => line.tax)) + shippingTax;
  return {
    taxIncluded: input.taxIncluded,
    lines,
    subtotal,
    discount,
    shipping,
    shippingTax,
    tax,
    total: subtotal - discount + shipping + (input.taxIncluded ? 0 : tax),
  };
}

/** What each line takes off; lines outside the discount's category take nothing off. */
function lineDiscounts(
  lines: readonly PricedLine[],
  lineTotals: readonly number[],
  discount: Discount | null,
): number[] {
  if (!discount || discount.kind === 'free_shipping') return lines.map(() => 0);
  const eligible = lines.map(
    (line) => discount.category === null || line.categories.includes(discount.category),
  );
  const values = lineTotals.map((value, index) => (eligible[index] ? value : 0));
  if (discount.kind === 'percentage') {
    return values.map((value) => divideHalfUp(BigInt(value) * BigInt(discount.percent), 100n));
  }
  return spread(Math.min(discount.amount, sum(values)), values);
}

/**
 * `amount` split over `values` in proportion, each share an integer and the shares summing to
 * `amount` exactly: the units the floors leave go to the largest remainders, earlier first.
 */
function spread(amount: number, values: readonly number[]): number[] {
  const whole = BigInt(sum(values));
  if (whole === 0n) return values.map(() => 0);
  const exact = values.map((value) => BigInt(amount) * BigInt(value));
  const shares = exact.map((part) => Number(part / whole));
  let left = amount - sum(shares);
  const byRemainder = exact
    .map((part, index) => ({ index, remainder: part % whole }))
    .sort((a, b) =>
      a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
    );
  for (const { index } of byRemainder) {
    if (left === 0) break;
    shares[index] = (shares[index] as number) + 1;
    left -= 1;
  }
  return shares;
}

/** What an option charges for goods worth `goods` (after any discount). */
export function shippingFor(rate: ShippingRate, goods: number): number {
  switch (rate.kind) {
    case 'flat':
      return rate.amount;
    case 'free_over':
      return goods >= rate.threshold ? 0 : rate.amount;
    case 'bands': {
      const band = rate.bands.find(
        (candidate) => candidate.upTo === null || goods <= candidate.upTo,
      );
      if (!band) throw new Error('shipping bands must end with one that has no upper limit');
      return band.amount;
    }
  }
}

/** The tax on `amount` at `rate`: added to it, or the part of it that is tax. */
function taxOf(amount: number, rate: RatePpm, included: boolean): number {
  const million = 1_000_000n;
  return included
    ? divideHalfUp(BigInt(amount) * BigInt(rate), million + BigInt(rate))
    : divideHalfUp(BigInt(amount) * BigInt(rate), million);
}

/** `numerator / denominator` rounded half up, for non-negative operands. */
function divideHalfUp(numerator: bigint, denominator: bigint): number {
  return Number((2n * numerator + denominator) / (2n * denominator));
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
