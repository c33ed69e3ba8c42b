import { createHash, randomBytes } from 'node:crypto';
import type { PromotionHold } from '@bazaar/contracts/internal-api';
import type { Pool } from '@bazaar/db/pool';
import { type StoredOrder, selectOrder, updateOrderStatus } from '../store/order-store.js';
import type { OrderFailure, OrderLine } from './order.js';
import type { Authorization, Card, Neighbours, PaymentState } from './ports.js';
import { runSaga, type Step } from './saga.js';

export type SagaDeps = { db: Pool; services: Neighbours };

export type OrderSaga = SagaDeps & {
  order: StoredOrder;
  /** The shopper's card; none when the sweeper recovers an order, which takes what payments has. */
  card?: Card;
  /** The order's payment, once taken. */
  payment?: PaymentState;
  /**
   * What this run took off the shelf or counted at once, with nothing left to commit; unknown to
   * the sweeper, whose commits of what is already taken change nothing.
   */
  taken?: { stock?: boolean; promotion?: boolean };
  /** The link token of the order, made when it is confirmed: for the buyer and the receipt. */
  accessToken?: string;
  /** The order as this run left it, when it moved it to its final status. */
  ended?: StoredOrder;
};

/** How a pending order ends when a step cannot go on. */
type Ending = { status: 'rejected' | 'payment_failed'; failure: OrderFailure };

/**
 * The checkout saga (docs: ARCHITECTURE, Checkout), each step beside what undoes it. Every step is
 * idempotent by order id, so the checkout and the recovery sweeper may both run it. The stock and
 * the code's use are taken before the card is charged, and the card is charged at once (decision
 * 0035): once the money is taken nothing is left that could fail the order and need a refund. The
 * commit and capture steps are there for what a neighbour of the previous release only held or
 * authorized, and for the sweeper.
 */
export const orderSteps: ReadonlyArray<Step<OrderSaga, Ending>> = [
  {
    // The lines leave the cart before anything is held or charged: a second checkout of the same
    // cart (a double click, another tab, a retry under a new key) finds them gone.
    name: 'claim cart',
    run: async ({ services, order }) => {
      const claim = await services.claimCart(order.cartId, order.id, quantities(order.lines));
      return claim.claimed
        ? undefined
        : { status: 'rejected', failure: cartInCheckout(claim.heldBy) };
    },
    undo: ({ services, order }) => services.giveBackCart(order.cartId, order.id),
  },
  {
    name: 'reserve stock',
    run: async (saga) => {
      const { services, order } = saga;
      const reservation = await services.reserve(order.id, quantities(order.lines));
      if (reservation.held) {
        saga.taken = { ...saga.taken, stock: reservation.committed };
        return undefined;
      }
      const { reason, detail, skus, available } = reservation;
      return {
        status: 'rejected',
        failure: { code: reason, detail, skus, ...(available ? { available } : {}) },
      };
    },
    undo: ({ services, order }) => services.releaseReservation(order.id),
  },
  {
    // Like stock, a use of a limited code is taken before the card is charged, so that racing
    // checkouts cannot take more uses than the code has.
    name: 'hold promotion',
    run: async (saga) => {
      const { services, order } = saga;
      if (!order.promotion) return undefined;
      const hold = await services.holdPromotion(order.id, order.promotion.code, customerOf(order));
      if (!hold.held) return { status: 'rejected', failure: promotionRefused(hold.reason) };
      saga.taken = { ...saga.taken, promotion: true };
      return undefined;
    },
    undo: async ({ services, order }) => {
      if (order.promotion) await services.releasePromotion(order.id);
    },
  },
  {
    name: 'take payment',
    run: async (saga) => {
      const { services, order, card } = saga;
      if (!card) return recoveredPayment(saga, await services.closePayment(order.id));
      const authorization = await services.authorize(order.id, order.total, card);
      if (!authorization.authorized) {
        return { status: 'payment_failed', failure: refused(authorization) };
      }
      saga.payment = authorization.payment;
      return undefined;
    },
    undo: ({ services, order, payment }) =>
      payment?.status === 'captured'
        ? services.refundPayment(order.id)
        : services.voidPayment(order.id),
  },
  {
    // Stock only held may have run out while the card was being charged: give the money back
    // rather than oversell.
    name: 'commit stock',
    run: async ({ services, order, taken }) =>
      taken?.stock || (await services.commitReservation(order.id))
        ? undefined
        : {
            status: 'rejected',
            failure: {
              code: 'reservation_expired',
              detail: 'The stock held for this order was released before payment completed',
            },
          },
    // Committed stock released goes back on the shelf.
    undo: ({ services, order }) => services.releaseReservation(order.id),
  },
  {
    name: 'commit promotion',
    run: async ({ services, order, taken }) =>
      !order.promotion || taken?.promotion || (await services.commitPromotion(order.id))
        ? undefined
        : { status: 'rejected', failure: promotionRefused('released') },
    // A cancelled order gives its use back.
    undo: async ({ services, order }) => {
      if (order.promotion) await services.releasePromotion(order.id);
    },
  },
  {
    // Only for a payment that was only authorized: one recovered from a checkout of the release
    // that captured after the stock, or answered by a payments replica of that release during a
    // rollout. A cancelled order's money goes back here.
    name: 'capture payment',
    run: async ({ services, order, payment }) => {
      if (payment?.status === 'authorized') await services.capturePayment(order.id);
      return undefined;
    },
    undo: ({ services, order }) => services.refundPayment(order.id),
  },
  {
    name: 'confirm order',
    run: async (saga) => {
      const { db, order, payment } = saga;
      const accessToken = randomBytes(32).toString('base64url');
      const confirmed = await updateOrderStatus(
        db,
        order.id,
        {
          to: 'confirmed',
          accessTokenHash: tokenHash(accessToken),
          ...(payment
            ? { payment: { method: 'card', brand: payment.cardBrand, last4: payment.cardLast4 } }
            : {}),
        },
        [
          {
            type: 'order.confirmed.v1',
            subject: order.id,
            data: {
              orderId: order.id,
              userId: order.userId,
              email: order.email,
              cartId: order.cartId,
              accessToken,
              lines: order.lines.map(({ sku, name, quantity, unitPrice }) => ({
                sku,
                name,
                quantity,
                unitPrice,
              })),
              total: order.total,
              subtotal: order.subtotal,
              discount: order.discount,
              shipping: order.shipping,
              tax: order.tax,
              taxIncluded: order.taxIncluded,
              ...(order.promotion && { promotionCode: order.promotion.code }),
            },
          },
        ],
      );
      // Undefined when the sweeper or the checkout confirmed it first: that one wrote the event.
      if (confirmed) {
        saga.accessToken = accessToken;
        saga.ended = confirmed;
      }
      return undefined;
    },
  },
];

/**
 * Runs the saga for a pending order, from the start or from `resumeAt`, and returns the order as it
 * ended. A failed order is recorded only once what it held went back, so that a crash in between
 * leaves it pending for the sweeper, not failed with stock held.
 */
export async function runOrderSaga(saga: OrderSaga, resumeAt?: string): Promise<StoredOrder> {
  const outcome = await runSaga(orderSteps, saga, resumeAt);
  if (!outcome.completed) {
    saga.ended = await updateOrderStatus(saga.db, saga.order.id, {
      to: outcome.failure.status,
      failure: outcome.failure.failure,
    });
  }
  // Moved on by another process (the sweeper, or the checkout it raced): read as that one left it.
  const order = saga.ended ?? (await selectOrder(saga.db, saga.order.id));
  if (!order) throw new Error(`order ${saga.order.id} vanished`);
  return order;
}

/**
 * The payment a recovered order has, by what payments knows of it: one held or taken goes on to
 * the stock; none, or a declined or released one, ends the order, and payments takes none for it
 * afterwards. Nothing is charged that the shopper did not see authorized.
 */
function recoveredPayment(saga: OrderSaga, payment: PaymentState | undefined): Ending | undefined {
  if (payment?.status === 'authorized' || payment?.status === 'captured') {
    saga.payment = payment;
    return undefined;
  }
  return {
    status: 'payment_failed',
    failure:
      payment?.status === 'declined'
        ? { code: 'card_declined', detail: 'The card was declined' }
        : {
            code: 'checkout_interrupted',
            detail: 'The checkout was interrupted before payment; nothing was charged',
          },
  };
}

/** Why the code's use could not be held or kept for the order. */
function promotionRefused(reason: Extract<PromotionHold, { held: false }>['reason']): OrderFailure {
  switch (reason) {
    case 'used_up':
      return { code: 'promotion_used_up', detail: 'This code has been used as often as it may be' };
    case 'customer_limit':
      return {
        code: 'promotion_customer_limit',
        detail: 'You have used this code as often as you may',
      };
    case 'unknown':
      return { code: 'promotion_unknown', detail: 'This code is no longer offered' };
    case 'released':
      return {
        code: 'promotion_hold_expired',
        detail:
          'The code was held for this order too long before payment completed; nothing was charged',
      };
  }
}

/** What the shopper is told of a payment payments refused. */
function refused(refusal: Extract<Authorization, { authorized: false }>): OrderFailure {
  const { reason, detail, declineCode, invalid } = refusal;
  if (reason === 'closed') {
    // Recovered without a payment while this checkout waited: the sweeper's verdict stands.
    return { code: 'checkout_interrupted', detail };
  }
  return {
    code: reason,
    detail,
    ...(declineCode ? { declineCode } : {}),
    // The field is the checkout body's, not the payments call's.
    ...(reason === 'invalid_card'
      ? {
          errors: [
            {
              field: `payment.${!invalid || invalid.detail === 'number' ? 'cardNumber' : invalid.detail}`,
              in: 'body',
              message: invalid?.message ?? 'is not a valid card number',
            },
          ],
        }
      : {}),
  };
}

/** Whose uses of a code count together: an account's, or a guest's address. */
export function customerOf(buyer: { userId: string | null; email: string }): string {
  return buyer.userId ?? `email:${buyer.email.toLowerCase()}`;
}

/** How an order's link token is kept: its SHA-256, so a copy of the table opens no order. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Another checkout of the same cart holds its lines: the shopper should look at that order. */
export function cartInCheckout(orderIds: readonly string[]): OrderFailure {
  const [first] = orderIds;
  return first
    ? {
        code: 'cart_in_checkout',
        detail: `This cart is already being checked out (order ${first}); its contents can be bought once`,
        checkoutOrderId: first,
      }
    : {
        code: 'cart_in_checkout',
        detail: 'This cart changed while it was being checked out; review it and try again',
      };
}

function quantities(lines: readonly OrderLine[]): Array<{ sku: string; quantity: number }> {
  return lines.map(({ sku, quantity }) => ({ sku, quantity }));
}
