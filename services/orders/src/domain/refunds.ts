import type { Order } from './order.js';

/** What a return gives back: all of it (`amount`), of which tax and shipping. */
export type RefundShare = { amount: number; tax: number; shipping: number };

type Units = ReadonlyArray<{ sku: string; quantity: number }>;

/**
 * What `returning` units of an order come to, given the units of each SKU received back before
 * (docs/decisions/0030-returns-and-refunds.md):
 *
 * - A line gives back its share of what it was charged: its value after its discount, with its
 *   tax where tax was added (the tax is in the price where prices include it).
 * - The share of the first `r` of a line's `n` units is `⌊charged × r / n⌋`; a return of units
 *   `r + 1 … r + k` gives the difference. Rounded down until the last unit, so the returns of a
 *   line add up to exactly what it was charged and never pass it, however it is split.
 * - Shipping (with its tax) goes back with the return that brings the last unit of the order back:
 *   the delivery paid for nothing kept. A partial return keeps it.
 */
export function refundFor(
  order: Order,
  before: ReadonlyMap<string, number>,
  returning: Units,
): RefundShare {
  const after = new Map(before);
  let amount = 0;
  let tax = 0;
  for (const { sku, quantity } of returning) {
    const line = order.lines.find((candidate) => candidate.sku === sku);
    if (!line) throw new Error(`order ${order.id} has no line ${sku}`);
    const done = after.get(sku) ?? 0;
    const share = (whole: number) =>
      shareOf(whole, done + quantity, line.quantity) - shareOf(whole, done, line.quantity);
    amount += share(chargedFor(order, line));
    tax += share(line.tax.amount);
    after.set(sku, done + quantity);
  }
  const everything = order.lines.every((line) => (after.get(line.sku) ?? 0) >= line.quantity);
  if (!everything) return { amount, tax, shipping: 0 };
  const shippingTax =
    order.tax.amount - order.lines.reduce((sum, line) => sum + line.tax.amount, 0);
  const shipping = order.shipping.amount + (order.taxIncluded ? 0 : shippingTax);
  return { amount: amount + shipping, tax: tax + shippingTax, shipping };
}

/** What a line was charged: after its discount, with its tax where tax was added to prices. */
export function chargedFor(
  order: Pick<Order, 'taxIncluded'>,
  line: Order['lines'][number],
): number {
  return line.lineTotal.amount - line.discount.amount + (order.taxIncluded ? 0 : line.tax.amount);
}

/** The first `count` of `units` equal shares of `whole`, rounded down (exact: integers < 2^53). */
function shareOf(whole: number, count: number, units: number): number {
  return Math.floor((whole * count) / units);
}
