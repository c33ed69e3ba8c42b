import type {
  CheckoutCart,
  PromotionHold,
  QuoteOutcome,
  QuoteRequest,
} from '@bazaar/contracts/internal-api';
import type { Money } from '@bazaar/contracts/money';

export type PaymentState = {
  status: 'authorized' | 'declined' | 'captured' | 'voided' | 'refunded';
  cardBrand: string;
  cardLast4: string;
};
export type Card =
  | { number: string; expiry: { month: number; year: number }; cvc: string; name?: string }
  | { token: string };

/** Inventory's answer to taking an order's stock: every line, or none, and why. */
export type Reservation =
  | {
      held: true;
      /** Off the shelf already; false when only held (by an inventory of the previous release). */
      committed: boolean;
    }
  | {
      held: false;
      reason: 'out_of_stock' | 'unknown_sku';
      detail: string;
      skus: string[];
      /** For `out_of_stock`: what each short SKU has left. */
      available?: Record<string, number>;
    };

/** Payments' answer to an authorization: the payment held, or why none was. */
export type Authorization =
  | { authorized: true; payment: PaymentState }
  | {
      authorized: false;
      /** `closed`: the order was recovered without a payment meanwhile, and takes none now. */
      reason: 'card_declined' | 'insufficient_funds' | 'invalid_card' | 'closed';
      detail: string;
      declineCode?: string;
      /** For `invalid_card`: which of the card's details, with what is wrong with it. */
      invalid?: { detail: 'number' | 'expiry' | 'cvc' | 'token'; message: string };
    };

/**
 * The other services checkout talks to, as the domain needs them (`src/clients` speaks HTTP to
 * them); each call idempotent by order id where it changes anything.
 */
export type Neighbours = {
  /** The cart by its id (`cartIdOf`): a user's or a guest's. */
  cart: (cartId: string) => Promise<CheckoutCart>;
  /**
   * Takes the order's lines out of the cart, so no other checkout can buy them; false when
   * the cart no longer holds them (another checkout took them), with the orders that did.
   */
  claimCart: (
    cartId: string,
    orderId: string,
    lines: ReadonlyArray<{ sku: string; quantity: number }>,
  ) => Promise<{ claimed: true } | { claimed: false; heldBy: string[] }>;
  /** The order was not placed: what it took from the cart goes back (nothing, if it took nothing). */
  giveBackCart: (cartId: string, orderId: string) => Promise<void>;
  /** What the lines cost where they go, by catalog's prices, rates, options and codes. */
  quote: (request: QuoteRequest) => Promise<QuoteOutcome>;
  /** Takes the order's lines off the shelf at once (decision 0035), all of them or none. */
  reserve: (
    orderId: string,
    lines: ReadonlyArray<{ sku: string; quantity: number }>,
  ) => Promise<Reservation>;
  /** Counts one use of a code for the order at once, if the code's limits allow (decision 0035). */
  holdPromotion: (orderId: string, code: string, customer: string) => Promise<PromotionHold>;
  /**
   * Makes a use only held count; true for one counted already, false when the hold is no longer
   * there (it ran out or was released).
   */
  commitPromotion: (orderId: string) => Promise<boolean>;
  releasePromotion: (orderId: string) => Promise<void>;
  /**
   * Takes stock only held off the shelf; true for stock taken already, false when the reservation
   * is no longer held (it expired or was released).
   */
  commitReservation: (orderId: string) => Promise<boolean>;
  releaseReservation: (orderId: string) => Promise<void>;
  /**
   * Charges the card: the amount authorized and captured in one call (decision 0035). A payment
   * answered only `authorized` (by a payments replica of the release that captured later) is
   * captured by the saga once the stock is committed.
   */
  authorize: (orderId: string, amount: Money, card: Card) => Promise<Authorization>;
  /**
   * For an order being recovered after its checkout was cut off: the payment it has, or none, and
   * then none can be taken later (an authorization still on its way is refused).
   */
  closePayment: (orderId: string) => Promise<PaymentState | undefined>;
  /** Takes the money of a payment only authorized. */
  capturePayment: (orderId: string) => Promise<void>;
  /** Lets an authorization go without taking the money. */
  voidPayment: (orderId: string) => Promise<void>;
  /** Gives captured money back (an authorization only held is voided). */
  refundPayment: (orderId: string) => Promise<void>;
  /**
   * Gives back part of the captured money, once per `refundId`; answers what went back: never
   * more than is left (0 once everything has).
   */
  refundPart: (orderId: string, refundId: string, amount: number) => Promise<number>;
  /** Units of a sold order came back, once per `returnId`: sellable ones to the shelf. */
  restock: (
    orderId: string,
    returnId: string,
    lines: ReadonlyArray<{ sku: string; quantity: number; damaged: number }>,
  ) => Promise<void>;
};
