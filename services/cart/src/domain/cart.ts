export type CartLine = { sku: string; quantity: number };

/**
 * What the shopper chose for the cart besides its lines; each unset is the shop's default: the
 * region that sells to the country (or the first), the region's default country, the first
 * shipping option that serves it.
 */
export type CartSettings = {
  region?: string;
  country?: string;
  state?: string;
  shippingOptionId?: string;
  promotionCode?: string;
};

export const maxQuantity = 99;

export type ClaimOutcome = { claimed: true } | { claimed: false; heldBy: string[] };

/** What became of the lines a checkout took out of a cart. */
export type CheckoutState = 'claimed' | 'bought' | 'returned';

/**
 * Where carts live: Redis when configured, else PostgreSQL; each known by its id (`cartIdOf`).
 * Lines come back in SKU order.
 */
export type CartStore = {
  read: (cart: string) => Promise<{ lines: CartLine[]; settings: CartSettings }>;
  /** Replaces the cart's settings (and keeps the cart as long as a change to its lines would). */
  saveSettings: (cart: string, settings: CartSettings) => Promise<void>;
  /** Adds to a line; returns the new quantity, or undefined when it would pass `maxQuantity`. */
  add: (cart: string, line: CartLine) => Promise<number | undefined>;
  /** Sets a line's quantity; false when the cart has no such line. */
  set: (cart: string, line: CartLine) => Promise<boolean>;
  remove: (cart: string, skus: readonly string[]) => Promise<void>;
  /**
   * Takes `lines` out of the cart for the checkout of `orderId`, all of them or none: a cart that
   * no longer holds them (another checkout took them first) is refused with the orders holding
   * its lines. Claiming again for the same order changes nothing.
   */
  claim: (cart: string, orderId: string, lines: readonly CartLine[]) => Promise<ClaimOutcome>;
  /** `read`, with the orders whose claim is neither bought nor given back yet: what a checkout needs. */
  readForCheckout: (
    cart: string,
  ) => Promise<{ lines: CartLine[]; settings: CartSettings; checkoutsInProgress: string[] }>;
  /** The order was not placed: its claimed lines go back into the cart (capped); once. */
  giveBack: (cart: string, orderId: string) => Promise<void>;
  /** The order was confirmed: its claimed lines are bought and never come back; its code is spent. */
  markBought: (cart: string, orderId: string) => Promise<void>;
  /**
   * Moves every line of `from` into `to` (quantities added, capped) and its settings over `to`'s
   * (the guest's are the shopper's latest choice), then deletes `from`.
   */
  merge: (from: string, to: string) => Promise<void>;
  close: () => Promise<void>;
};
