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
  state?: string | undefined;
};

/** A line as it was charged: its unit price, its share of the discount, the tax in it or on it. */
export type OrderLine = {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: Money;
  discount: Money;
  tax: Money;
  /** Millionths: 20 % is 200000. */
  taxRate: number;
};

/** Why a checkout failed, as its first request was answered; a repeat gets the same answer. */
export type OrderFailure = { code: string; detail: string; [extension: string]: unknown };

export type Order = {
  id: string;
  /** Null: a guest's order, until the address's owner opens an account. */
  userId: string | null;
  /** The cart it was bought from (`cartIdOf`): the buyer, for its Idempotency-Key. */
  cartId: string;
  email: string;
  status: OrderStatus;
  region: string;
  /** Prices include tax (`tax` is the part of the total that is tax) rather than tax added. */
  taxIncluded: boolean;
  lines: Array<OrderLine & { lineTotal: Money }>;
  subtotal: Money;
  discount: Money;
  shipping: Money;
  tax: Money;
  total: Money;
  shippingOption: { id: string; name: string; estimate: string } | null;
  promotion: { code: string; description: string } | null;
  shippingAddress: ShippingAddress;
  payment: { method: 'card'; brand: string; last4: string } | null;
  failure: OrderFailure | null;
  shipment: { carrier: string; trackingNumber: string } | null;
  /** The region's return window when it was sold: days after shipping. */
  returnDays: number;
  /** ISO 8601; null until it ships. */
  shippedAt: string | null;
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

import { OrdersError } from './errors.js';
