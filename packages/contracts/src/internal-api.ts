import { type Static, Type } from 'typebox';
import { Money } from './money.js';
import { ShippingChoice, CartLine as ShownCartLine, Totals } from './shop-api.js';

/** A stock-keeping unit: upper-case letters and digits in dash-separated groups (`LGT-05-SND`). */
export const Sku = Type.String({
  pattern: '^[A-Z0-9]+(-[A-Z0-9]+)*$',
  maxLength: 64,
  description: 'a SKU such as LGT-05-SND',
});

/**
 * `POST /internal/prices` (catalog): a SKU's price in the default region and its sale status. The
 * previous release's cart and orders price with it; kept while a rollout runs both, then removed
 * (decision 0027). This release's quote with `/internal/quotes`.
 */
export const SkuPrice = Type.Object({
  sku: Type.String(),
  productId: Type.String({ format: 'uuid' }),
  slug: Type.String(),
  /** "Oak Desk Lamp (Sand)": what a cart line or a receipt calls the SKU. */
  name: Type.String(),
  image: Type.Union([Type.String(), Type.Null()]),
  price: Money,
  /** On sale: the product is active. */
  active: Type.Boolean(),
});

export type SkuPrice = Static<typeof SkuPrice>;

export const PricesResponse = Type.Object({ items: Type.Array(SkuPrice) });
export type PricesResponse = Static<typeof PricesResponse>;

/** A cart as services name it among themselves (`cartIdOf` in `./cart-id`). */
export const CartId = Type.String({
  pattern: '^(user:[0-9a-f-]{36}|guest:[A-Za-z0-9_-]{43})$',
  description: "a user's cart (user:<id>) or a guest's (guest:<hash of the cart token>)",
});

const CartLine = Type.Object({ sku: Sku, quantity: Type.Integer({ minimum: 1, maximum: 99 }) });

const RegionId = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 32 });

/**
 * `POST /internal/quotes` (catalog): what lines cost in a region, shipped to a country (and a
 * state, where its tax depends on one) by an option, with tax. No region: the one that sells to
 * the country (no country either: the shop's first). No option: the first that serves the
 * country. No lines: nothing to ship, every sum zero. The rules are catalog's `domain/totals.ts`.
 */
export const QuoteRequest = Type.Object(
  {
    region: Type.Optional(RegionId),
    country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
    state: Type.Optional(Type.String({ pattern: '^[A-Z0-9]{1,3}$' })),
    lines: Type.Array(CartLine, { maxItems: 200 }),
    shippingOptionId: Type.Optional(Type.String({ maxLength: 64 })),
    /** The place is an order's address: where the country's tax depends on the state, it is required. */
    forOrder: Type.Optional(Type.Boolean()),
    /** A code the shopper applied; `customer` (a user id or a guest's e-mail) for its per-customer limit. */
    promotion: Type.Optional(
      Type.Object(
        {
          code: Type.String({ minLength: 1, maxLength: 40 }),
          customer: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type QuoteRequest = Static<typeof QuoteRequest>;

/**
 * Why a quote is refused, each with the status a shopper's request gets for it; the problem names
 * the field: `region`, `country`, `state`, `shippingOptionId`, or `code` for the promotion.
 */
export const quoteRefusalStatuses = {
  unknown_region: 400,
  country_not_in_region: 422,
  country_not_served: 422,
  state_required: 422,
  shipping_unavailable: 422,
  promotion_unknown: 422,
  promotion_not_started: 422,
  promotion_expired: 422,
  promotion_not_in_region: 422,
  promotion_below_minimum: 422,
  promotion_not_applicable: 422,
  promotion_used_up: 422,
  promotion_customer_limit: 422,
} as const;
export type QuoteRefusalCode = keyof typeof quoteRefusalStatuses;

export const Quote = Type.Object({
  region: Type.String(),
  currency: Type.String(),
  taxIncluded: Type.Boolean(),
  /** The region's return window: days after shipping a return may be asked for. */
  returnDays: Type.Integer({ minimum: 0 }),
  country: Type.String(),
  /** A cart's lines as it shows them, with each line's discount and tax. */
  lines: Type.Array(ShownCartLine),
  /** SKUs off sale, unknown, or without a price in the region's currency: left out of the sums. */
  unavailable: Type.Array(Type.String()),
  shippingOption: Type.Union([
    Type.Object({ id: Type.String(), name: Type.String(), estimate: Type.String() }),
    Type.Null(),
  ]),
  /** The code applied, when it applies: an ineligible one is the caller's 422, naming `code`. */
  promotion: Type.Union([
    Type.Object({ code: Type.String(), description: Type.String() }),
    Type.Null(),
  ]),
  /** Every option that serves the country, with what it would cost these lines. */
  shippingOptions: Type.Array(ShippingChoice),
  ...Totals,
});
export type Quote = Static<typeof Quote>;

/** A quote, or catalog's refusal as a caller reads it (from the problem it answered). */
export type QuoteOutcome =
  | { quoted: true; quote: Quote }
  | {
      quoted: false;
      code: QuoteRefusalCode;
      detail: string;
      errors: Array<{ field: string; in: string; message: string }>;
    };

/** `GET /internal/carts/:cartId` (cart): the lines a checkout would buy, unpriced. */
export const CheckoutCart = Type.Object({
  cartId: CartId,
  lines: Type.Array(CartLine),
  /** Orders whose checkout has taken lines out of this cart and not yet finished. */
  checkoutsInProgress: Type.Array(Type.String({ format: 'uuid' })),
  /** The region the shopper chose (null: the one that sells to the address's country). */
  region: Type.Union([Type.Null(), RegionId]),
  /** The code the shopper applied to the cart. */
  promotionCode: Type.Union([Type.Null(), Type.String()]),
});
export type CheckoutCart = Static<typeof CheckoutCart>;

/**
 * `POST /internal/carts/:cartId/checkouts` (cart): an order takes these lines out of the cart, all
 * or none, once per `orderId`, so that a cart's contents are bought once.
 */
export const CartClaim = Type.Object(
  {
    orderId: Type.String({ format: 'uuid' }),
    lines: Type.Array(CartLine, { minItems: 1, maxItems: 200 }),
  },
  { additionalProperties: false },
);
export type CartClaim = Static<typeof CartClaim>;

/**
 * `POST /internal/promotion-uses` (catalog): a checkout holds one use of a code until it commits
 * (`/:orderId/commit`) or releases (`/:orderId/release`) it, or the hold runs out; idempotent by
 * `orderId`.
 */
export const PromotionHoldRequest = Type.Object(
  {
    orderId: Type.String({ format: 'uuid' }),
    code: Type.String({ minLength: 1, maxLength: 40 }),
    customer: Type.String({ minLength: 1, maxLength: 254 }),
    ttlSeconds: Type.Integer({ minimum: 1, maximum: 86_400, default: 900 }),
    commit: Type.Optional(
      Type.Boolean({
        description:
          'The use counts now, as a commit would, and no hold runs out; a release gives it back',
      }),
    ),
  },
  { additionalProperties: false },
);
export type PromotionHoldRequest = Static<typeof PromotionHoldRequest>;

export const PromotionHold = Type.Union([
  Type.Object({ held: Type.Literal(true) }),
  Type.Object({
    held: Type.Literal(false),
    reason: Type.Enum(['unknown', 'used_up', 'customer_limit', 'released']),
  }),
]);
export type PromotionHold = Static<typeof PromotionHold>;
