import type { Money } from '@bazaar/contracts/money';

export type OrderStatus =
  | 'pending'
  | 'confirmed'
  | 'rejected'
  | 'payment_failed'
  | 'shipped'
  | 'cancelled'
  | 'refunded';

export type ShippingAddress = {
  name: string;
  line1: string;
  line2?: string | undefined;
  city: string;
  postalCode: string;
  country: string;
};

export type OrderLine = { sku: string; name: string; quantity: number; unitPrice: Money };

/** Why a checkout failed, as its first request was answered; a repeat gets the same answer. */
export type OrderFailure = { code: string; detail: string; [extension: string]: unknown };

export type Order = {
  id: string;
  userId: string;
  email: string;
  status: OrderStatus;
  lines: Array<OrderLine & { lineTotal: Money }>;
  subtotal: Money;
  shipping: Money;
  total: Money;
  shippingAddress: ShippingAddress;
  payment: { method: 'card'; brand: string; last4: string } | null;
  failure: OrderFailure | null;
  shipment: { carrier: string; trackingNumber: string } | null;
  /** ISO 8601 */
  createdAt: string;
  updatedAt: string;
};

/** The status machine: where each status may go next. */
const next: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ['confirmed', 'rejected', 'payment_failed'],
  confirmed: ['shipped', 'cancelled', 'refunded'],
  rejected: [],
  payment_failed: [],
  shipped: ['refunded'],
  // A refund reported while the order was being cancelled: the cancel still finishes.
  refunded: ['cancelled'],
  cancelled: [],
};

/** The statuses an order may be in to become `to`. */
export function statusesBefore(to: OrderStatus): OrderStatus[] {
  return (Object.keys(next) as OrderStatus[]).filter((from) => next[from].includes(to));
}

export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!next[from].includes(to)) {
    throw new OrdersError('invalid_transition', `A ${from} order cannot become ${to}`, {
      orderStatus: from,
    });
  }
}

/** The totals of an order, computed here from catalog's prices: never from the client. */
export function totals(
  lines: readonly OrderLine[],
  shippingRate: number,
): { subtotal: number; shipping: number; total: number; currency: string } {
  const currencies = new Set(lines.map((line) => line.unitPrice.currency));
  if (currencies.size !== 1) throw new Error('an order is priced in exactly one currency');
  const subtotal = lines.reduce((sum, line) => sum + line.unitPrice.amount * line.quantity, 0);
  return {
    subtotal,
    shipping: shippingRate,
    total: subtotal + shippingRate,
    currency: [...currencies][0] as string,
  };
}

import { OrdersError } from './errors.js';
