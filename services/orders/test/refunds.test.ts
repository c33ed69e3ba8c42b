import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Order } from '../src/domain/order.js';
import { refundFor } from '../src/domain/refunds.js';

/**
 * The refund rules (decision 0030) against a model of exact fractions: whatever the order and
 * however its units come back, in whatever batches and order, every refund is right to the cent.
 */
const usd = (amount: number) => ({ amount, currency: 'USD' });

const anOrder = fc
  .record({
    taxIncluded: fc.boolean(),
    lines: fc.array(
      fc.record({
        quantity: fc.integer({ min: 1, max: 7 }),
        unitPrice: fc.integer({ min: 1, max: 250_000 }),
        discountShare: fc.double({ min: 0, max: 1, noNaN: true }),
        taxShare: fc.double({ min: 0, max: 0.3, noNaN: true }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    shipping: fc.integer({ min: 0, max: 5_000 }),
    shippingTaxShare: fc.double({ min: 0, max: 0.3, noNaN: true }),
  })
  .map(({ taxIncluded, lines, shipping, shippingTaxShare }): Order => {
    const shippingTax = Math.floor(shipping * shippingTaxShare);
    const shaped = lines.map((line, index) => {
      const lineTotal = line.unitPrice * line.quantity;
      const discount = Math.floor(lineTotal * line.discountShare);
      return {
        sku: `SKU-${index}`,
        name: `Thing ${index}`,
        quantity: line.quantity,
        unitPrice: usd(line.unitPrice),
        lineTotal: usd(lineTotal),
        discount: usd(discount),
        tax: usd(Math.floor((lineTotal - discount) * line.taxShare)),
        taxRate: 0,
      };
    });
    const sum = (pick: (line: (typeof shaped)[number]) => number) =>
      shaped.reduce((total, line) => total + pick(line), 0);
    const subtotal = sum((line) => line.lineTotal.amount);
    const discount = sum((line) => line.discount.amount);
    const tax = sum((line) => line.tax.amount) + shippingTax;
    return {
      id: 'order',
      userId: null,
      cartId: 'user:1',
      email: 'ada@example.com',
      status: 'shipped',
      region: 'us',
      taxIncluded,
      lines: shaped,
      subtotal: usd(subtotal),
      discount: usd(discount),
      shipping: usd(shipping),
      tax: usd(tax),
      total: usd(subtotal - discount + shipping + (taxIncluded ? 0 : tax)),
      shippingOption: null,
      promotion: null,
      shippingAddress: { name: 'A', line1: '1', city: 'C', postalCode: '1', country: 'US' },
      payment: null,
      failure: null,
      shipment: null,
      returnDays: 30,
      shippedAt: null,
      createdAt: '',
      updatedAt: '',
    };
  });

/** An order and its units coming back in batches: each batch some units of some lines. */
const anOrderAndItsReturns = anOrder.chain((order) => {
  const units = order.lines.flatMap((line) =>
    Array.from({ length: line.quantity }, () => line.sku),
  );
  return fc
    .tuple(
      fc.shuffledSubarray(units, { minLength: units.length }),
      fc.array(fc.integer({ min: 1, max: 4 }), {
        minLength: units.length,
        maxLength: units.length,
      }),
    )
    .map(([shuffled, sizes]) => {
      const batches: Array<Array<{ sku: string; quantity: number }>> = [];
      let at = 0;
      for (const size of sizes) {
        if (at >= shuffled.length) break;
        const batch = new Map<string, number>();
        for (const sku of shuffled.slice(at, at + size)) batch.set(sku, (batch.get(sku) ?? 0) + 1);
        batches.push([...batch].map(([sku, quantity]) => ({ sku, quantity })));
        at += size;
      }
      return { order, batches };
    });
});

/** What a line was charged, all its units: after its discount, with its tax where it was added. */
const charged = (order: Order, line: Order['lines'][number]) =>
  BigInt(line.lineTotal.amount - line.discount.amount + (order.taxIncluded ? 0 : line.tax.amount));

describe('refunds of returned units', () => {
  test('every return gives back at most its units’ exact share, less than a cent short per line, and all returns give back exactly what was charged', () => {
    fc.assert(
      fc.property(anOrderAndItsReturns, ({ order, batches }) => {
        const back = new Map<string, number>();
        let refunded = 0;
        let tax = 0;
        for (const [index, batch] of batches.entries()) {
          const share = refundFor(order, back, batch);
          expect(share.amount).toBeGreaterThanOrEqual(0);
          expect(share.tax).toBeLessThanOrEqual(share.amount);
          for (const { sku, quantity } of batch) back.set(sku, (back.get(sku) ?? 0) + quantity);
          refunded += share.amount;
          tax += share.tax;
          const last = index === batches.length - 1;
          expect(share.shipping).toBe(
            last
              ? order.shipping.amount +
                  (order.taxIncluded
                    ? 0
                    : order.tax.amount - order.lines.reduce((s, l) => s + l.tax.amount, 0))
              : 0,
          );
          // The model: each line's exact share of the units back, r × charged / n, summed over
          // the lines with a common denominator; what was refunded (shipping aside) is at most
          // that, and short of it by less than one minor unit a line.
          let exactTimesD = 0n;
          const d = order.lines.reduce((product, line) => product * BigInt(line.quantity), 1n);
          for (const line of order.lines) {
            exactTimesD +=
              (charged(order, line) * BigInt(back.get(line.sku) ?? 0) * d) / BigInt(line.quantity);
          }
          const goods = BigInt(refunded - (last ? share.shipping : 0));
          expect(goods * d).toBeLessThanOrEqual(exactTimesD);
          expect((goods + BigInt(order.lines.length)) * d).toBeGreaterThan(exactTimesD);
          expect(refunded).toBeLessThanOrEqual(order.total.amount);
        }
        expect(refunded).toBe(order.total.amount);
        expect(tax).toBe(order.tax.amount);
      }),
      { numRuns: 500 },
    );
  });

  test('two units of 10.00 with 3.33 off the line: the first back gives 8.33, the second 8.34 and the shipping', () => {
    const order = fc.sample(anOrder, { numRuns: 1, seed: 1 })[0] as Order;
    const line = {
      ...order.lines[0],
      sku: 'MUG-1',
      quantity: 2,
      unitPrice: usd(1000),
      lineTotal: usd(2000),
      discount: usd(333),
      tax: usd(0),
    } as Order['lines'][number];
    const mugs: Order = {
      ...order,
      taxIncluded: true,
      lines: [line],
      shipping: usd(495),
      tax: usd(0),
      total: usd(2000 - 333 + 495),
    };
    const first = refundFor(mugs, new Map(), [{ sku: 'MUG-1', quantity: 1 }]);
    const second = refundFor(mugs, new Map([['MUG-1', 1]]), [{ sku: 'MUG-1', quantity: 1 }]);
    expect([first.amount, second.amount, second.shipping]).toEqual([833, 834 + 495, 495]);
  });
});
