/** Whose cart: a signed-in user's, or a guest's, known by the opaque token the guest holds. */
export type CartOwner = { kind: 'user'; userId: string } | { kind: 'guest'; token: string };

export type CartLine = { sku: string; quantity: number };

export const maxQuantity = 99;

/** Where carts live: Redis when configured, else PostgreSQL. Lines come back in SKU order. */
export type CartStore = {
  lines: (owner: CartOwner) => Promise<CartLine[]>;
  /** Adds to a line; returns the new quantity, or undefined when it would pass `maxQuantity`. */
  add: (owner: CartOwner, line: CartLine) => Promise<number | undefined>;
  /** Sets a line's quantity; false when the cart has no such line. */
  set: (owner: CartOwner, line: CartLine) => Promise<boolean>;
  remove: (owner: CartOwner, skus: readonly string[]) => Promise<void>;
  /**
   * Takes the quantities an order bought out of the cart (a line at 0 goes), once per `eventId`:
   * units added after the checkout stay, and a redelivered event takes nothing more.
   */
  subtract: (owner: CartOwner, lines: readonly CartLine[], eventId: string) => Promise<void>;
  /** Moves every line of `from` into `to` (quantities added, capped), then deletes `from`. */
  merge: (from: CartOwner, to: CartOwner) => Promise<void>;
  close: () => Promise<void>;
};

/** The key of a cart in either store; a guest token is hashed, so a copy of the store opens no cart. */
export function ownerKey(owner: CartOwner, hash: (token: string) => string): string {
  return owner.kind === 'user' ? `user:${owner.userId}` : `guest:${hash(owner.token)}`;
}
