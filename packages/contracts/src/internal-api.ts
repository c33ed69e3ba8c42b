import { type Static, Type } from 'typebox';
import { Money } from './money.js';

/** A stock-keeping unit: upper-case letters and digits in dash-separated groups (`LGT-05-SND`). */
export const Sku = Type.String({
  pattern: '^[A-Z0-9]+(-[A-Z0-9]+)*$',
  maxLength: 64,
  description: 'a SKU such as LGT-05-SND',
});

/**
 * `POST /internal/prices` (catalog): what cart and orders need to sell a SKU, read at every use so
 * that a price is never taken from a client.
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

const CartLine = Type.Object({ sku: Sku, quantity: Type.Integer({ minimum: 1, maximum: 99 }) });

/** `GET /internal/carts/:userId` (cart): the lines a checkout would buy, unpriced. */
export const CheckoutCart = Type.Object({
  userId: Type.String(),
  lines: Type.Array(CartLine),
  /** Orders whose checkout has taken lines out of this cart and not yet finished. */
  checkoutsInProgress: Type.Array(Type.String({ format: 'uuid' })),
});
export type CheckoutCart = Static<typeof CheckoutCart>;

/**
 * `POST /internal/carts/:userId/checkouts` (cart): an order takes these lines out of the cart, all
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
