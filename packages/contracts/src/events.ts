import { type Static, type TSchema, Type } from 'typebox';
import { Sku } from './internal-api.js';
import { Money } from './money.js';

const Uuid = Type.String({ format: 'uuid' });

/** The data of every event Bazaar publishes, one schema per versioned type (the event catalog). */
export const eventSchemas = {
  /** An address was confirmed by its owner: the account is open (the welcome mail). */
  'identity.user.registered.v1': Type.Object({
    userId: Uuid,
    email: Type.String({ minLength: 3 }),
    name: Type.String(),
  }),
  /**
   * Someone signed up with this address: the owner gets a link to confirm it. The token is a
   * secret of 24 hours and one use; nothing the registrant wrote (the name) travels before it.
   */
  'identity.email.verification_requested.v1': Type.Object({
    userId: Uuid,
    email: Type.String({ minLength: 3 }),
    token: Type.String({ minLength: 43 }),
  }),
  /** Someone signed up again with an address that has an account: its owner is told, nobody else. */
  'identity.sign_up.repeated.v1': Type.Object({ email: Type.String({ minLength: 3 }) }),
  'catalog.product.updated.v1': Type.Object({
    productId: Uuid,
    skus: Type.Array(
      Type.Object({
        sku: Sku,
        /** The first price of the SKU's price list. */
        price: Money,
        /** Its whole price list, one price per currency (added to v1: consumers may ignore it). */
        prices: Type.Optional(Type.Array(Money)),
        active: Type.Boolean(),
      }),
    ),
  }),
  'inventory.stock.low.v1': Type.Object({
    sku: Sku,
    available: Type.Integer({ minimum: 0 }),
    threshold: Type.Integer({ minimum: 0 }),
  }),
  /** A SKU became available or sold out; `changedAt` orders the announcements of one SKU. */
  'inventory.stock.availability.v1': Type.Object({
    sku: Sku,
    inStock: Type.Boolean(),
    changedAt: Type.String({ format: 'date-time' }),
  }),
  /** `userId` null: a guest's order; `accessToken` opens the order's page without signing in. */
  'order.confirmed.v1': Type.Object({
    orderId: Uuid,
    userId: Type.Union([Type.Null(), Uuid]),
    email: Type.String(),
    cartId: Type.Optional(Type.String()),
    accessToken: Type.Optional(Type.String({ minLength: 43 })),
    lines: Type.Array(
      Type.Object({
        sku: Sku,
        name: Type.String(),
        quantity: Type.Integer({ minimum: 1 }),
        unitPrice: Money,
      }),
    ),
    total: Money,
    // Optional: events written before orders kept them have none.
    subtotal: Type.Optional(Money),
    discount: Type.Optional(Money),
    shipping: Type.Optional(Money),
    tax: Type.Optional(Money),
    taxIncluded: Type.Optional(Type.Boolean()),
    promotionCode: Type.Optional(Type.String()),
  }),
  'order.cancelled.v1': Type.Object({
    orderId: Uuid,
    userId: Type.Union([Type.Null(), Uuid]),
    email: Type.Optional(Type.String()),
    reason: Type.String(),
  }),
  'order.shipped.v1': Type.Object({
    orderId: Uuid,
    userId: Type.Union([Type.Null(), Uuid]),
    email: Type.Optional(Type.String()),
    carrier: Type.String(),
    trackingNumber: Type.String(),
  }),
  /** A shopper asked to send units back (`return`), for the shop to approve or reject. */
  'return.requested.v1': Type.Object({
    returnId: Uuid,
    orderId: Uuid,
    userId: Type.Union([Type.Null(), Uuid]),
    email: Type.String(),
    reason: Type.String(),
    lines: Type.Array(
      Type.Object({ sku: Sku, name: Type.String(), quantity: Type.Integer({ minimum: 1 }) }),
    ),
  }),
  'return.rejected.v1': Type.Object({
    returnId: Uuid,
    orderId: Uuid,
    userId: Type.Union([Type.Null(), Uuid]),
    email: Type.String(),
    note: Type.String(),
  }),
  /**
   * Units are back (a return's parcel received; `cancellation`: lines cancelled before shipping,
   * never sent): `refund` goes back to the card, and the sellable units to the shelf.
   */
  'return.received.v1': Type.Object({
    returnId: Uuid,
    orderId: Uuid,
    userId: Type.Union([Type.Null(), Uuid]),
    email: Type.String(),
    kind: Type.Enum(['return', 'cancellation']),
    lines: Type.Array(
      Type.Object({
        sku: Sku,
        name: Type.String(),
        quantity: Type.Integer({ minimum: 1 }),
        damaged: Type.Integer({ minimum: 0 }),
      }),
    ),
    refund: Money,
  }),
  'payment.authorized.v1': Type.Object({ orderId: Uuid, paymentId: Uuid, amount: Money }),
  'payment.declined.v1': Type.Object({
    orderId: Uuid,
    paymentId: Uuid,
    amount: Money,
    reason: Type.String(),
  }),
  /**
   * Money went back to the card: all of it, or a return's or some cancelled lines' share.
   * `refundId` is the return's (or a whole refund's own); `remaining` what stays captured.
   * Both optional: refunds announced before partial refunds carried neither (all went back).
   */
  'payment.refunded.v1': Type.Object({
    orderId: Uuid,
    paymentId: Uuid,
    amount: Money,
    refundId: Type.Optional(Uuid),
    remaining: Type.Optional(Money),
  }),
} satisfies Record<string, TSchema>;

export type EventType = keyof typeof eventSchemas;
export type EventData<T extends EventType> = Static<(typeof eventSchemas)[T]>;

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventSchemas, type);
}
