import { type Static, type TSchema, Type } from 'typebox';
import { Money } from './money.js';

/**
 * What the shop's public API answers, as the services declare their responses with it and the
 * storefront reads it: one definition for both sides of the wire.
 */

// Identity

export const User = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  name: Type.String(),
  role: Type.Enum(['customer', 'admin']),
  createdAt: Type.String({ format: 'date-time' }),
});
export type User = Static<typeof User>;

export const Session = Type.Object({
  user: User,
  accessToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'seconds until the access token expires' }),
  refreshToken: Type.String({ description: 'opaque; works once' }),
  refreshTokenExpiresAt: Type.String({ format: 'date-time' }),
});
export type Session = Static<typeof Session>;

// Catalog

export const CategoryRef = Type.Object({ slug: Type.String(), name: Type.String() });

export type CategoryNode = { slug: string; name: string; children: CategoryNode[] };
export const CategoryNode = Type.Cyclic(
  {
    CategoryNode: Type.Object({
      slug: Type.String(),
      name: Type.String(),
      children: Type.Array(Type.Ref('CategoryNode')),
    }),
  },
  'CategoryNode',
) as TSchema;

/** What a product's summary and its detail both say of it. */
const productFields = {
  id: Type.String({ format: 'uuid' }),
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  status: Type.Enum(['draft', 'active', 'archived']),
  category: CategoryRef,
  images: Type.Array(Type.String()),
  price: Money,
  inStock: Type.Boolean({ description: 'at least one variant can be bought now' }),
};

export const ProductSummary = Type.Object({ ...productFields, variantCount: Type.Integer() });
export type ProductSummary = Static<typeof ProductSummary>;

export const ProductDetail = Type.Object({
  ...productFields,
  variants: Type.Array(
    Type.Object({
      sku: Type.String(),
      options: Type.Record(Type.String(), Type.String()),
      /** In the currency of the region asked for. */
      price: Money,
      /** The variant's price list: its price in each currency the shop sells in. */
      prices: Type.Array(Money),
      inStock: Type.Boolean(),
    }),
  ),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type ProductDetail = Static<typeof ProductDetail>;

export const ProductListing = Type.Object({
  items: Type.Array(ProductSummary),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  total: Type.Integer(),
  facets: Type.Object({
    categories: Type.Array(
      Type.Object({ slug: Type.String(), name: Type.String(), count: Type.Integer() }),
    ),
  }),
  correctedQuery: Type.Optional(
    Type.String({
      description: 'when the search text found nothing: the text these products were found for',
    }),
  ),
});
export type ProductListing = Static<typeof ProductListing>;

// Regions

/** How an option's price follows from the goods' value (after any discount), in minor units. */
export const ShippingRate = Type.Union([
  Type.Object({ kind: Type.Literal('flat'), amount: Type.Integer({ minimum: 0 }) }),
  Type.Object({
    kind: Type.Literal('bands'),
    bands: Type.Array(
      Type.Object({
        // Null first: the request validator would coerce a null to 0 for an integer tried first.
        upTo: Type.Union([Type.Null(), Type.Integer({ minimum: 0 })], {
          description: 'the highest goods value of the band; null: no limit',
        }),
        amount: Type.Integer({ minimum: 0 }),
      }),
      { minItems: 1 },
    ),
  }),
  Type.Object({
    kind: Type.Literal('free_over'),
    amount: Type.Integer({ minimum: 0 }),
    threshold: Type.Integer({ minimum: 0, description: 'free from this goods value up' }),
  }),
]);
export type ShippingRate = Static<typeof ShippingRate>;

export const ShippingOption = Type.Object({
  id: Type.String(),
  name: Type.String(),
  estimate: Type.String({ description: 'the delivery time as the shopper is told it' }),
  countries: Type.Array(Type.String(), {
    description: 'the countries it serves; empty: every country of its region',
  }),
  rate: ShippingRate,
});
export type ShippingOption = Static<typeof ShippingOption>;

export const Region = Type.Object({
  id: Type.String(),
  name: Type.String(),
  currency: Type.String({ description: 'ISO 4217: every price in the region is in it' }),
  taxIncluded: Type.Boolean({
    description: 'prices include tax (UK, EU) rather than tax being added to them (US)',
  }),
  defaultCountry: Type.String({ description: 'where tax is estimated before an address is given' }),
  returnDays: Type.Integer({ description: 'days after shipping a return may be asked for' }),
  countries: Type.Array(Type.String({ description: 'ISO 3166-1 alpha-2' })),
  shippingOptions: Type.Array(ShippingOption),
});
export type Region = Static<typeof Region>;

/** A region as admins see it: with how shipping is taxed, and its paused shipping options. */
export const AdminRegion = Type.Object({
  ...Region.properties,
  taxShipping: Type.Boolean({
    description: "shipping is taxed at the destination's standard rate",
  }),
  shippingOptions: Type.Array(
    Type.Object({ ...ShippingOption.properties, active: Type.Boolean() }),
  ),
});
export type AdminRegion = Static<typeof AdminRegion>;

export const TaxRate = Type.Object({
  country: Type.String({ pattern: '^[A-Z]{2}$' }),
  state: Type.String({ pattern: '^[A-Z0-9]{0,3}$', description: "'': the whole country" }),
  category: Type.String({
    pattern: '^([a-z0-9]+(-[a-z0-9]+)*)?$',
    maxLength: 64,
    description: "'': every category",
  }),
  ratePpm: Type.Integer({
    minimum: 0,
    maximum: 1_000_000,
    description: 'millionths: 20 % is 200000',
  }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
});
export type TaxRate = Static<typeof TaxRate>;

// Promotions (admin)

export const Promotion = Type.Object({
  id: Type.String({ format: 'uuid' }),
  code: Type.String({ description: 'upper-case; shoppers may type it in any case' }),
  description: Type.String(),
  kind: Type.Enum(['percentage', 'fixed', 'free_shipping']),
  percent: Type.Union([Type.Integer(), Type.Null()]),
  amount: Type.Union([Type.Integer({ description: 'minor units of currency' }), Type.Null()]),
  currency: Type.Union([Type.String(), Type.Null()]),
  category: Type.Union([Type.String(), Type.Null()]),
  minSubtotal: Type.Union([Type.Integer(), Type.Null()]),
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  usageLimit: Type.Union([Type.Integer(), Type.Null()]),
  perCustomerLimit: Type.Union([Type.Integer(), Type.Null()]),
  active: Type.Boolean(),
  uses: Type.Integer({ description: 'held by checkouts in progress or committed by orders' }),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Promotion = Static<typeof Promotion>;

// Inventory

export const StockLevel = Type.Object({
  sku: Type.String(),
  onHand: Type.Integer(),
  reserved: Type.Integer(),
  available: Type.Integer(),
  lowStockThreshold: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type StockLevel = Static<typeof StockLevel>;

/** What an import of CSV (stock or products) found and, unless a dry run or with any error, wrote. */
export const ImportReport = Type.Object({
  dryRun: Type.Boolean(),
  rows: Type.Integer({ description: 'data rows read' }),
  created: Type.Integer({ description: 'rows whose SKU was new' }),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  errors: Type.Array(
    Type.Object({
      line: Type.Integer({ description: 'in the file; the header is line 1' }),
      column: Type.String(),
      message: Type.String(),
    }),
    { description: 'every bad cell; with any, nothing is written' },
  ),
});
export type ImportReport = Static<typeof ImportReport>;

// Cart

export const CartLine = Type.Object({
  sku: Type.String(),
  productId: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  image: Type.Union([Type.String(), Type.Null()]),
  quantity: Type.Integer(),
  unitPrice: Money,
  lineTotal: Money,
  discount: Money,
  tax: Money,
  taxRate: Type.Integer({ description: 'millionths: 20 % is 200000' }),
});
export type CartLine = Static<typeof CartLine>;

/** An option that serves where the cart ships to, priced for its goods. */
export const ShippingChoice = Type.Object({
  id: Type.String(),
  name: Type.String(),
  estimate: Type.String(),
  price: Money,
});
export type ShippingChoice = Static<typeof ShippingChoice>;

/**
 * The money of a cart or an order, each amount in minor units of one currency: subtotal − discount
 * + shipping + tax = total where tax is added; where prices include tax, total = subtotal − discount
 * + shipping and `tax` is the part of it that is tax.
 */
export const Totals = {
  subtotal: Money,
  discount: Money,
  shipping: Money,
  tax: Money,
  total: Money,
};

export const Cart = Type.Object({
  items: Type.Array(CartLine),
  itemCount: Type.Integer(),
  region: Type.String({ description: 'the region whose prices, currency and tax the cart is in' }),
  currency: Type.String(),
  taxIncluded: Type.Boolean(),
  country: Type.String({ description: "where the cart ships to: chosen, or the region's default" }),
  state: Type.Union([Type.Null(), Type.String()]),
  shippingOption: Type.Union([
    Type.Null(),
    Type.Object({ id: Type.String(), name: Type.String(), estimate: Type.String() }),
  ]),
  promotion: Type.Union([
    Type.Null(),
    Type.Object({
      code: Type.String(),
      applied: Type.Boolean(),
      description: Type.Union([Type.Null(), Type.String()]),
      reason: Type.Union([Type.Null(), Type.String()], {
        description: 'why a code kept in the cart does not apply now',
      }),
    }),
  ]),
  ...Totals,
  removed: Type.Array(Type.String(), { description: 'SKUs dropped because they are off sale' }),
  cartToken: Type.Optional(
    Type.String({ description: "a guest's cart token: send it back as X-Cart-Token" }),
  ),
});
export type Cart = Static<typeof Cart>;

// Orders

export const ShippingAddress = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    line1: Type.String({ minLength: 1, maxLength: 200 }),
    line2: Type.Optional(Type.String({ maxLength: 200 })),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    postalCode: Type.String({ minLength: 1, maxLength: 20 }),
    country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' }),
    state: Type.Optional(
      Type.String({
        pattern: '^[A-Z0-9]{1,3}$',
        description: 'the state or province code, where tax depends on it (US: CA, NY…)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ShippingAddress = Static<typeof ShippingAddress>;

export const OrderStatus = Type.Enum([
  'pending',
  'confirmed',
  'rejected',
  'payment_failed',
  'shipped',
  'cancelled',
  'refunded',
]);
export type OrderStatus = Static<typeof OrderStatus>;

export const Order = Type.Object({
  id: Type.String({ format: 'uuid' }),
  status: OrderStatus,
  email: Type.String(),
  region: Type.String(),
  taxIncluded: Type.Boolean(),
  lines: Type.Array(
    Type.Object({
      sku: Type.String(),
      name: Type.String(),
      quantity: Type.Integer(),
      unitPrice: Money,
      lineTotal: Money,
      discount: Money,
      tax: Money,
      taxRate: Type.Integer({ description: 'millionths: 20 % is 200000' }),
    }),
  ),
  ...Totals,
  shippingOption: Type.Union([
    Type.Null(),
    Type.Object({ id: Type.String(), name: Type.String(), estimate: Type.String() }),
  ]),
  promotion: Type.Union([
    Type.Null(),
    Type.Object({ code: Type.String(), description: Type.String() }),
  ]),
  shippingAddress: ShippingAddress,
  payment: Type.Union([
    Type.Object({ method: Type.Literal('card'), brand: Type.String(), last4: Type.String() }),
    Type.Null(),
  ]),
  shipment: Type.Union([
    Type.Object({ carrier: Type.String(), trackingNumber: Type.String() }),
    Type.Null(),
  ]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Order = Static<typeof Order>;

// Returns and partial cancellations

export const ReturnReason = Type.Enum(
  ['changed_mind', 'damaged', 'wrong_item', 'not_as_described', 'other'],
  { description: 'why the shopper sends it back' },
);
export type ReturnReason = Static<typeof ReturnReason>;

export const ReturnLines = Type.Array(
  Type.Object(
    {
      sku: Type.String({ minLength: 1, maxLength: 64 }),
      quantity: Type.Integer({ minimum: 1, maximum: 99 }),
    },
    { additionalProperties: false },
  ),
  { minItems: 1, maxItems: 200 },
);

/**
 * Units of an order coming back: a `return` of shipped ones (requested, approved or rejected by
 * the shop, received, refunded), or a `cancellation` of some not yet shipped (received at once,
 * then refunded). The refund is decided when the units are received (docs/decisions/0030).
 */
export const OrderReturn = Type.Object({
  id: Type.String({ format: 'uuid' }),
  orderId: Type.String({ format: 'uuid' }),
  kind: Type.Enum(['return', 'cancellation']),
  status: Type.Enum(['requested', 'approved', 'rejected', 'received', 'refunded']),
  reason: Type.String(),
  /** The shop's word to the shopper: why it was rejected. */
  note: Type.Union([Type.String(), Type.Null()]),
  email: Type.String(),
  lines: Type.Array(
    Type.Object({
      sku: Type.String(),
      name: Type.String(),
      quantity: Type.Integer(),
      damaged: Type.Integer({ description: 'of the units received, those that cannot be sold' }),
    }),
  ),
  /** What the units' share of the order comes to: decided on receipt (null before). */
  refund: Type.Union([Type.Null(), Type.Object({ amount: Money, tax: Money, shipping: Money })]),
  /** What went back to the card (null until it did; less than `refund` only after a cancel). */
  refunded: Type.Union([Type.Null(), Money]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type OrderReturn = Static<typeof OrderReturn>;

/** One order as its page shows it: its returns, and until when more may be asked for. */
export const OrderDetail = Type.Object({
  ...Order.properties,
  returns: Type.Array(OrderReturn),
  returnsOpenUntil: Type.Union([Type.Null(), Type.String({ format: 'date-time' })], {
    description: 'shipped orders: the last moment a return may be asked for',
  }),
});
export type OrderDetail = Static<typeof OrderDetail>;

export const OrderPage = Type.Object({
  items: Type.Array(Order),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type OrderPage = Static<typeof OrderPage>;

// Notifications

export const MailMessage = Type.Object({
  id: Type.String({ format: 'uuid' }),
  eventId: Type.String({ format: 'uuid' }),
  kind: Type.String(),
  to: Type.Union([Type.String(), Type.Null()]),
  subject: Type.String(),
  text: Type.String(),
  status: Type.Enum(['queued', 'sent', 'recorded', 'undeliverable']),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  sentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type MailMessage = Static<typeof MailMessage>;

// Webhooks (admin)

/** The events a webhook subscription may take (docs/webhooks.md lists their data). */
export const webhookEventTypes = [
  'order.confirmed.v1',
  'order.shipped.v1',
  'order.cancelled.v1',
  'catalog.product.updated.v1',
  'inventory.stock.availability.v1',
  'inventory.stock.low.v1',
  'identity.user.registered.v1',
  'return.requested.v1',
  'return.received.v1',
  'payment.refunded.v1',
] as const;

export const WebhookSubscription = Type.Object({
  id: Type.String({ format: 'uuid' }),
  url: Type.String(),
  eventTypes: Type.Array(Type.Enum(webhookEventTypes)),
  description: Type.String(),
  enabled: Type.Boolean(),
  disabledReason: Type.Union([Type.String(), Type.Null()]),
  failing: Type.Boolean({ description: 'the last attempt failed' }),
  previousSecretExpiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'until then, the secret before the last rotation signs too',
  }),
  createdAt: Type.String({ format: 'date-time' }),
});
export type WebhookSubscription = Static<typeof WebhookSubscription>;

export const WebhookDelivery = Type.Object({
  id: Type.String({ format: 'uuid' }),
  eventId: Type.String({
    format: 'uuid',
    description: 'the webhook-id header: the same on every retry',
  }),
  eventType: Type.String(),
  status: Type.Enum(['pending', 'delivered', 'failed']),
  attempts: Type.Array(
    Type.Object({
      at: Type.String({ format: 'date-time' }),
      statusCode: Type.Union([Type.Integer(), Type.Null()]),
      durationMs: Type.Integer(),
      error: Type.Union([Type.String(), Type.Null()]),
      responseSnippet: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  createdAt: Type.String({ format: 'date-time' }),
  nextAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type WebhookDelivery = Static<typeof WebhookDelivery>;
