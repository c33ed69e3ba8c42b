import type { Queryable } from '@bazaar/db/pool';
import { type OutboxEvent, outboxPart } from '@bazaar/events/outbox';
import type { Payment, PaymentStatus } from '../domain/payment.js';

type PaymentRow = {
  id: string;
  order_id: string;
  provider: string;
  status: PaymentStatus;
  amount: number;
  refunded: number;
  currency: string;
  card_brand: string;
  card_last4: string;
  decline_code: string | null;
  created_at: Date;
  updated_at: Date;
};

const columns =
  'id, order_id, provider, status, amount, refunded, currency, card_brand, card_last4, decline_code, created_at, updated_at';

function toPayment(row: PaymentRow): Payment {
  return {
    paymentId: row.id,
    orderId: row.order_id,
    provider: row.provider,
    status: row.status,
    amount: row.amount,
    refunded: row.refunded,
    currency: row.currency,
    cardBrand: row.card_brand,
    cardLast4: row.card_last4,
    declineCode: row.decline_code,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The order's payment, if it has one, and whether it was closed without one. */
export async function selectPaymentOrClosed(
  db: Queryable,
  orderId: string,
): Promise<{ payment?: Payment; closed: boolean }> {
  const { rows } = await db.query<PaymentRow & { closed: boolean }>(
    `SELECT p.*, EXISTS (SELECT FROM closed_orders WHERE order_id = $1) AS closed
       FROM (SELECT 1) AS asked LEFT JOIN (SELECT ${columns} FROM payments WHERE order_id = $1) p
         ON true`,
    [orderId],
  );
  const row = rows[0];
  return { ...(row?.id ? { payment: toPayment(row) } : {}), closed: row?.closed === true };
}

/**
 * Inserts the payment, with the `events` that announce it, in one statement, if it is the first
 * decision on the order's payment (`payment_decisions`): undefined when another authorization or a
 * close decided first. A racing request's statement is waited for, so a look afterwards finds what
 * it decided.
 */
export async function insertPayment(
  db: Queryable,
  payment: Omit<Payment, 'createdAt' | 'updatedAt' | 'refunded'> & { providerRef: string },
  events: readonly OutboxEvent[],
): Promise<Payment | undefined> {
  const values = [
    payment.paymentId,
    payment.orderId,
    payment.provider,
    payment.providerRef,
    payment.status,
    payment.amount,
    payment.currency,
    payment.cardBrand,
    payment.cardLast4,
    payment.declineCode,
  ];
  const outbox = outboxPart(events, {
    firstParameter: values.length + 1,
    when: 'EXISTS (SELECT FROM inserted)',
  });
  // `closed_orders`: what the previous release's close writes, while a rollout runs it.
  const { rows } = await db.query<PaymentRow>(
    `WITH decided AS (
       INSERT INTO payment_decisions (order_id, closed)
       SELECT $2, false WHERE NOT EXISTS (SELECT FROM closed_orders WHERE order_id = $2)
       ON CONFLICT (order_id) DO NOTHING RETURNING order_id),
     inserted AS (
       INSERT INTO payments (id, order_id, provider, provider_ref, status, amount, currency,
                             card_brand, card_last4, decline_code)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 FROM decided
       ON CONFLICT (order_id) DO NOTHING RETURNING ${columns}),
     ${outbox.parts}
     SELECT i.*, ${outbox.notified} AS notified FROM inserted i`,
    [...values, ...outbox.values],
  );
  const row = rows[0];
  return row?.id ? toPayment(row) : undefined;
}

export async function selectPayment(
  db: Queryable,
  orderId: string,
  options: { forUpdate?: boolean } = {},
): Promise<Payment | undefined> {
  const { rows } = await db.query<PaymentRow>(
    `SELECT ${columns} FROM payments WHERE order_id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [orderId],
  );
  return rows[0] && toPayment(rows[0]);
}

/**
 * Moves the payment to `status` if it is in one of `from`, in one statement; undefined when it is
 * not (or there is none).
 */
export async function updateStatusFrom(
  db: Queryable,
  orderId: string,
  from: readonly PaymentStatus[],
  status: PaymentStatus,
): Promise<Payment | undefined> {
  const { rows } = await db.query<PaymentRow>(
    `UPDATE payments SET status = $3, updated_at = now()
      WHERE order_id = $1 AND status = ANY($2) RETURNING ${columns}`,
    [orderId, from, status],
  );
  return rows[0] && toPayment(rows[0]);
}

/** Moves the payment to `status`, `refund` more of it given back (a refund's share). */
export async function updateStatus(
  db: Queryable,
  orderId: string,
  status: PaymentStatus,
  refund = 0,
): Promise<Payment> {
  const { rows } = await db.query<PaymentRow>(
    `UPDATE payments SET status = $2, refunded = refunded + $3, updated_at = now()
      WHERE order_id = $1 RETURNING ${columns}`,
    [orderId, status, refund],
  );
  return toPayment(rows[0] as PaymentRow);
}

export type Refund = { refundId: string; orderId: string; amount: number };

/** Records a refund; false when one of this id was recorded before. */
export async function insertRefund(db: Queryable, refund: Refund): Promise<boolean> {
  const { rowCount } = await db.query(
    'INSERT INTO refunds (id, order_id, amount) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [refund.refundId, refund.orderId, refund.amount],
  );
  return rowCount === 1;
}

export async function selectRefund(db: Queryable, refundId: string): Promise<Refund | undefined> {
  const { rows } = await db.query<{ id: string; order_id: string; amount: number }>(
    'SELECT id, order_id, amount FROM refunds WHERE id = $1',
    [refundId],
  );
  return rows[0] && { refundId: rows[0].id, orderId: rows[0].order_id, amount: rows[0].amount };
}

/** Records a webhook delivery; false when the provider's event id was seen before (a replay). */
export async function recordWebhookEvent(
  db: Queryable,
  event: { provider: string; id: string; type: string },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO webhook_events (provider, event_id, type) VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING`,
    [event.provider, event.id, event.type],
  );
  return rowCount === 1;
}

/**
 * Serializes, until the transaction ends, a close with the previous release's authorizations,
 * which decide under this lock (decision 0033).
 */
export async function lockOrderPayment(trx: Queryable, orderId: string): Promise<void> {
  await trx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`payment:${orderId}`]);
}

/**
 * Decides that the order takes no payment, unless one was decided first; a racing authorization's
 * statement is waited for.
 */
export async function insertClosedDecision(trx: Queryable, orderId: string): Promise<void> {
  await trx.query(
    `INSERT INTO payment_decisions (order_id, closed)
     SELECT $1, true WHERE NOT EXISTS (SELECT FROM payments WHERE order_id = $1)
     ON CONFLICT (order_id) DO NOTHING`,
    [orderId],
  );
}

/** What the previous release's authorizations look for, while a rollout runs them. */
export async function insertClosedOrder(trx: Queryable, orderId: string): Promise<void> {
  await trx.query('INSERT INTO closed_orders (order_id) VALUES ($1) ON CONFLICT DO NOTHING', [
    orderId,
  ]);
}
