import { randomUUID } from 'node:crypto';
import { type Pool, type Queryable, withTransaction } from '@bazaar/db/pool';
import { addToOutbox } from '@bazaar/events/outbox';
import type { DomainError } from '@bazaar/service-kit/errors';
import {
  insertClosedDecision,
  insertClosedOrder,
  insertPayment,
  insertRefund,
  lockOrderPayment,
  selectPayment,
  selectPaymentOrClosed,
  selectRefund,
  updateStatus,
  updateStatusFrom,
} from '../store/payment-store.js';
import { PaymentsError } from './errors.js';
import type { Payment, PaymentStatus } from './payment.js';
import { authorizeWithTestProvider, type CardInput } from './test-provider.js';

export type AuthorizeRequest = {
  orderId: string;
  amount: number;
  currency: string;
  card: CardInput;
  /** Take the money with the authorization (a sale), as a provider's automatic capture does. */
  capture?: boolean | undefined;
};

/**
 * Asks the provider to hold `amount` on the card, and to take it at once with `capture`.
 * Idempotent by order id: a repeated request gets the first outcome, approved or declined, and the
 * card is not charged again. An order closed without a payment (`closeOrderPayment`) gets none:
 * 409 `order_closed`.
 */
export async function authorizePayment(
  db: Pool,
  request: AuthorizeRequest,
): Promise<{ payment: Payment; created: boolean }> {
  const earlier = await selectPaymentOrClosed(db, request.orderId);
  if (earlier.payment) return { payment: earlier.payment, created: false };
  if (earlier.closed) throw orderClosed(request.orderId);
  const outcome = authorizeWithTestProvider(request.card);
  const paymentId = randomUUID();
  const money = { amount: request.amount, currency: request.currency };
  const { orderId } = request;
  const payment = await insertPayment(
    db,
    {
      paymentId,
      orderId,
      provider: 'test',
      providerRef: outcome.providerRef,
      status: outcome.approved ? (request.capture ? 'captured' : 'authorized') : 'declined',
      amount: request.amount,
      currency: request.currency,
      cardBrand: outcome.brand,
      cardLast4: outcome.last4,
      declineCode: outcome.approved ? null : outcome.declineCode,
    },
    [
      outcome.approved
        ? {
            type: 'payment.authorized.v1',
            subject: orderId,
            data: { orderId, paymentId, amount: money },
          }
        : {
            type: 'payment.declined.v1',
            subject: orderId,
            data: { orderId, paymentId, amount: money, reason: outcome.declineCode },
          },
    ],
  );
  if (payment) return { payment, created: true };
  // Another request for the order decided first: its authorization is the one that counts; a
  // close means none is taken (a real provider's hold would be voided here).
  const decided = await selectPaymentOrClosed(db, orderId);
  if (decided.payment) return { payment: decided.payment, created: false };
  throw orderClosed(orderId);
}

function orderClosed(orderId: string): DomainError {
  return new PaymentsError(
    'order_closed',
    `Order ${orderId} was closed without a payment; nothing was charged`,
  );
}

/**
 * Closes an order to payment, for orders settling one it gave up on: from now on no
 * authorization is taken for it. Answers the payment it has, if one got in first (an
 * authorization still on its way when orders gave up), for orders to finish the sale with.
 */
export async function closeOrderPayment(db: Pool, orderId: string): Promise<Payment | undefined> {
  return withTransaction(db, async (trx) => {
    await lockOrderPayment(trx, orderId);
    await insertClosedDecision(trx, orderId);
    const payment = await selectPayment(trx, orderId);
    if (!payment) await insertClosedOrder(trx, orderId);
    return payment;
  });
}

/** Which status each action leads to, from which statuses; a repeat of a done action changes nothing. */
const transitions = {
  capture: { from: ['authorized'], to: 'captured' },
  void: { from: ['authorized'], to: 'voided' },
  refund: { from: ['captured'], to: 'refunded' },
} as const satisfies Record<string, { from: readonly PaymentStatus[]; to: PaymentStatus }>;

export type PaymentAction = keyof typeof transitions;

/**
 * Captures, voids or refunds the payment of an order. A refund of a payment that was only
 * authorized voids it: the shopper gets the hold back either way.
 */
export async function performPaymentAction(
  db: Pool,
  orderId: string,
  action: PaymentAction,
): Promise<Payment> {
  // A capture or a void of a payment in the status it leaves is one statement.
  if (action !== 'refund') {
    const { from, to } = transitions[action];
    const moved = await updateStatusFrom(db, orderId, from, to);
    if (moved) return moved;
  }
  return withTransaction(db, async (trx) => {
    const payment = await selectPayment(trx, orderId, { forUpdate: true });
    if (!payment) throw new PaymentsError('not_found', `No payment for order ${orderId}`);
    const effective = action === 'refund' && payment.status === 'authorized' ? 'void' : action;
    return applyTransition(trx, payment, effective);
  });
}

export async function applyTransition(
  trx: Queryable,
  payment: Payment,
  action: PaymentAction,
): Promise<Payment> {
  const { from, to } = transitions[action];
  if (payment.status === to) return payment;
  if (!(from as readonly PaymentStatus[]).includes(payment.status)) {
    throw new PaymentsError(
      'invalid_payment_state',
      `A ${payment.status} payment cannot be ${to}`,
      {
        paymentStatus: payment.status,
      },
    );
  }
  if (to !== 'refunded') return updateStatus(trx, payment.orderId, to);
  // A whole refund gives back what the partial ones left.
  const refund = { refundId: randomUUID(), amount: payment.amount - payment.refunded };
  return (await recordRefund(trx, payment, refund)).payment;
}

export type RefundRequest = { refundId: string; amount: number };

/**
 * Gives back part of a captured payment (a return, some lines cancelled). Idempotent by the
 * caller's refund id: asked again, it answers the first refund. Never more than is left: a refund
 * asked for more gives back what remains (0 once everything has gone back), and says so.
 */
export async function refundPart(
  db: Pool,
  orderId: string,
  request: RefundRequest,
): Promise<{ refundId: string; amount: number; payment: Payment }> {
  return withTransaction(db, async (trx) => {
    const payment = await selectPayment(trx, orderId, { forUpdate: true });
    if (!payment) throw new PaymentsError('not_found', `No payment for order ${orderId}`);
    const earlier = await selectRefund(trx, request.refundId);
    if (earlier) {
      if (earlier.orderId !== orderId) {
        throw new PaymentsError('conflict', `Refund ${request.refundId} is another order's`);
      }
      return { refundId: earlier.refundId, amount: earlier.amount, payment };
    }
    if (payment.status !== 'captured' && payment.status !== 'refunded') {
      throw new PaymentsError(
        'invalid_payment_state',
        `A ${payment.status} payment cannot be refunded in part`,
        { paymentStatus: payment.status },
      );
    }
    const amount = Math.min(request.amount, payment.amount - payment.refunded);
    return recordRefund(trx, payment, { refundId: request.refundId, amount });
  });
}

/** Writes a refund, what the payment has left, and `payment.refunded.v1` when money went back. */
async function recordRefund(
  trx: Queryable,
  payment: Payment,
  refund: RefundRequest,
): Promise<{ refundId: string; amount: number; payment: Payment }> {
  await insertRefund(trx, { ...refund, orderId: payment.orderId });
  const remaining = payment.amount - payment.refunded - refund.amount;
  const updated = await updateStatus(
    trx,
    payment.orderId,
    remaining === 0 ? 'refunded' : payment.status,
    refund.amount,
  );
  if (refund.amount > 0) {
    const money = (amount: number) => ({ amount, currency: payment.currency });
    await addToOutbox(trx, {
      type: 'payment.refunded.v1',
      subject: payment.orderId,
      data: {
        orderId: payment.orderId,
        paymentId: payment.paymentId,
        refundId: refund.refundId,
        amount: money(refund.amount),
        remaining: money(remaining),
      },
    });
  }
  return { refundId: refund.refundId, amount: refund.amount, payment: updated };
}
