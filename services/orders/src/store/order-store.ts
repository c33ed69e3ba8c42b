import type { Queryable } from '@bazaar/db/pool';
import { SqlParams } from '@bazaar/db/sql-params';
import { type OutboxEvent, outboxPart } from '@bazaar/events/outbox';
import { type KeysetPosition, keysetTimestamp } from '@bazaar/service-kit/keyset-cursor';
import {
  type Order,
  type OrderFailure,
  type OrderLine,
  type OrderStatus,
  type ShippingAddress,
  statusesBefore,
} from '../domain/order.js';

type OrderRow = {
  id: string;
  user_id: string | null;
  cart_id: string;
  email: string;
  status: OrderStatus;
  request_fingerprint: string;
  region: string;
  tax_included: boolean;
  currency: string;
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  total: number;
  shipping_option: Order['shippingOption'];
  promotion: Order['promotion'];
  shipping_address: ShippingAddress;
  payment: Order['payment'];
  failure: OrderFailure | null;
  carrier: string | null;
  tracking_number: string | null;
  return_days: number;
  shipped_at: Date | null;
  created_at: Date;
  updated_at: Date;
  created_at_key: string;
  lines: Array<{
    sku: string;
    name: string;
    quantity: number;
    unit_price: number;
    discount: number;
    tax: number;
    tax_rate: number;
  }>;
};

const orderColumns = `o.id, o.user_id, o.cart_id, o.email, o.status, o.request_fingerprint,
  o.region, o.tax_included, o.currency, o.subtotal, o.discount, o.shipping, o.tax, o.total,
  o.shipping_option, o.promotion, o.shipping_address, o.payment, o.failure, o.carrier,
  o.tracking_number, o.return_days, o.shipped_at, o.created_at, o.updated_at,
  ${keysetTimestamp('o.created_at')} AS created_at_key`;

/** The lines of order `o`, from `source`: the table, or the lines a statement just inserted. */
const linesFrom = (source: string) =>
  `(SELECT coalesce(jsonb_agg(jsonb_build_object('sku', l.sku, 'name', l.name,
            'quantity', l.quantity, 'unit_price', l.unit_price, 'discount', l.discount,
            'tax', l.tax, 'tax_rate', l.tax_rate) ORDER BY l.position), '[]')
     FROM ${source} l WHERE l.order_id = o.id) AS lines`;

const columns = `${orderColumns}, ${linesFrom('order_lines')}`;

export type StoredOrder = Order & { fingerprint: string };

function toOrder(row: OrderRow): StoredOrder {
  const money = (amount: number) => ({ amount, currency: row.currency });
  return {
    id: row.id,
    userId: row.user_id,
    cartId: row.cart_id,
    email: row.email,
    status: row.status,
    region: row.region,
    taxIncluded: row.tax_included,
    lines: row.lines.map((line) => ({
      sku: line.sku,
      name: line.name,
      quantity: line.quantity,
      unitPrice: money(line.unit_price),
      lineTotal: money(line.unit_price * line.quantity),
      discount: money(line.discount),
      tax: money(line.tax),
      taxRate: line.tax_rate,
    })),
    subtotal: money(row.subtotal),
    discount: money(row.discount),
    shipping: money(row.shipping),
    tax: money(row.tax),
    total: money(row.total),
    shippingOption: row.shipping_option,
    promotion: row.promotion,
    shippingAddress: row.shipping_address,
    payment: row.payment,
    failure: row.failure,
    shipment:
      row.carrier && row.tracking_number
        ? { carrier: row.carrier, trackingNumber: row.tracking_number }
        : null,
    returnDays: row.return_days,
    shippedAt: row.shipped_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    fingerprint: row.request_fingerprint,
  };
}

export type NewOrder = {
  id: string;
  userId: string | null;
  cartId: string;
  email: string;
  idempotencyKey: string;
  fingerprint: string;
  region: string;
  taxIncluded: boolean;
  currency: string;
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  total: number;
  shippingOption: Order['shippingOption'];
  promotion: Order['promotion'];
  shippingAddress: ShippingAddress;
  returnDays: number;
  lines: readonly OrderLine[];
};

/**
 * Inserts a pending order with its lines and the first entry of its history, in one statement (so
 * atomically, in one round trip), and returns it as stored; undefined when the cart's checkout
 * already used the key.
 */
export async function insertOrder(
  db: Queryable,
  order: NewOrder,
): Promise<StoredOrder | undefined> {
  const { rows } = await db.query<OrderRow>(
    `WITH inserted AS (
       INSERT INTO orders (id, user_id, email, status, idempotency_key, request_fingerprint,
                           region, tax_included, currency, subtotal, discount, shipping, tax,
                           total, shipping_option, promotion, shipping_address, cart_id,
                           return_days)
       VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
               $25, $26)
       ON CONFLICT (cart_id, idempotency_key) DO NOTHING
       RETURNING *),
     inserted_lines AS (
       INSERT INTO order_lines (order_id, sku, name, quantity, unit_price, discount, tax, tax_rate,
                                position)
       SELECT inserted.id, line.* FROM inserted,
              unnest($17::text[], $18::text[], $19::int[], $20::int[], $21::int[], $22::int[],
                     $23::int[], $24::int[]) AS line
       RETURNING *),
     history AS (
       INSERT INTO order_history (order_id, entry) SELECT id, 'pending' FROM inserted)
     SELECT ${orderColumns}, ${linesFrom('inserted_lines')} FROM inserted o`,
    [
      order.id,
      order.userId,
      order.email,
      order.idempotencyKey,
      order.fingerprint,
      order.region,
      order.taxIncluded,
      order.currency,
      order.subtotal,
      order.discount,
      order.shipping,
      order.tax,
      order.total,
      order.shippingOption,
      order.promotion,
      order.shippingAddress,
      order.lines.map((line) => line.sku),
      order.lines.map((line) => line.name),
      order.lines.map((line) => line.quantity),
      order.lines.map((line) => line.unitPrice.amount),
      order.lines.map((line) => line.discount.amount),
      order.lines.map((line) => line.tax.amount),
      order.lines.map((line) => line.taxRate),
      order.lines.map((_, position) => position),
      order.cartId,
      order.returnDays,
    ],
  );
  return rows[0] && toOrder(rows[0]);
}

export async function selectOrder(
  db: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredOrder | undefined> {
  const { rows } = await db.query<OrderRow>(
    `SELECT ${columns} FROM orders o WHERE o.id = $1${options.forUpdate ? ' FOR UPDATE OF o' : ''}`,
    [id],
  );
  return rows[0] && toOrder(rows[0]);
}

export async function selectOrderByKey(
  db: Queryable,
  cartId: string,
  idempotencyKey: string,
): Promise<StoredOrder | undefined> {
  const { rows } = await db.query<OrderRow>(
    `SELECT ${columns} FROM orders o WHERE o.cart_id = $1 AND o.idempotency_key = $2`,
    [cartId, idempotencyKey],
  );
  return rows[0] && toOrder(rows[0]);
}

/** The order whose link token hashes to `tokenHash`. */
export async function selectOrderByToken(
  db: Queryable,
  tokenHash: string,
): Promise<StoredOrder | undefined> {
  const { rows } = await db.query<OrderRow>(
    `SELECT ${columns} FROM orders o WHERE o.access_token_hash = $1`,
    [tokenHash],
  );
  return rows[0] && toOrder(rows[0]);
}

/** A guest's orders to `email` become the account's that confirmed the address; returns how many. */
export async function claimGuestOrders(
  db: Queryable,
  userId: string,
  email: string,
): Promise<number> {
  const { rowCount } = await db.query(
    'UPDATE orders SET user_id = $1 WHERE user_id IS NULL AND lower(email) = lower($2)',
    [userId, email],
  );
  return rowCount ?? 0;
}

/** A page of orders, newest first: one user's, or everyone's (optionally of one status). */
export async function selectOrders(
  db: Queryable,
  query: {
    userId?: string | undefined;
    status?: OrderStatus | undefined;
    after: KeysetPosition | undefined;
    limit: number;
  },
): Promise<Array<{ item: StoredOrder; position: KeysetPosition }>> {
  const conditions: string[] = [];
  const params = new SqlParams();
  if (query.userId !== undefined) conditions.push(`o.user_id = ${params.add(query.userId)}`);
  if (query.status !== undefined) conditions.push(`o.status = ${params.add(query.status)}`);
  if (query.after) {
    conditions.push(
      `(o.created_at, o.id) < (${params.add(query.after.key)}::timestamptz, ${params.add(query.after.id)}::uuid)`,
    );
  }
  const { rows } = await db.query<OrderRow>(
    `SELECT ${columns} FROM orders o
      ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
      ORDER BY o.created_at DESC, o.id DESC LIMIT ${params.add(query.limit)}`,
    params.values,
  );
  return rows.map((row) => ({
    item: toOrder(row),
    position: { key: row.created_at_key, id: row.id },
  }));
}

/**
 * Moves an order on, only from a status the status machine (`order.ts`) lets it leave for `to`,
 * and notes it in its history and records the `events` that announce it, in one statement;
 * returns the order as it now is, or undefined when it is in no such status (another process moved
 * it first: the checkout and the sweeper may race, one of them wins, once, with its events).
 */
export async function updateOrderStatus(
  db: Queryable,
  id: string,
  change: {
    to: OrderStatus;
    payment?: Order['payment'];
    failure?: OrderFailure;
    shipment?: { carrier: string; trackingNumber: string };
    accessTokenHash?: string;
  },
  events: readonly OutboxEvent[] = [],
): Promise<StoredOrder | undefined> {
  const values = [
    id,
    statusesBefore(change.to),
    change.to,
    change.payment ?? null,
    change.failure ?? null,
    change.shipment?.carrier ?? null,
    change.shipment?.trackingNumber ?? null,
    change.failure ?? {},
    change.accessTokenHash ?? null,
  ];
  const outbox =
    events.length > 0
      ? outboxPart(events, {
          firstParameter: values.length + 1,
          when: 'EXISTS (SELECT FROM changed)',
        })
      : undefined;
  const { rows } = await db.query<OrderRow>(
    `WITH changed AS (
       UPDATE orders o SET status = $3, updated_at = now(),
              payment = coalesce($4, payment), failure = coalesce($5, failure),
              carrier = coalesce($6, carrier), tracking_number = coalesce($7, tracking_number),
              shipped_at = CASE WHEN $6::text IS NULL THEN shipped_at ELSE now() END,
              access_token_hash = coalesce($9, access_token_hash)
        WHERE o.id = $1 AND o.status = ANY($2)
        RETURNING ${columns}),
     history AS (
       INSERT INTO order_history (order_id, entry, detail) SELECT id, $3, $8 FROM changed)
     ${outbox ? `, ${outbox.parts}` : ''}
     SELECT *${outbox ? `, ${outbox.notified} AS notified` : ''} FROM changed`,
    [...values, ...(outbox?.values ?? [])],
  );
  return rows[0] && toOrder(rows[0]);
}

/** Notes `entry` in the order's history; an order this service does not have gets none. */
export async function addHistory(
  db: Queryable,
  orderId: string,
  entry: string,
  detail: object = {},
): Promise<void> {
  await db.query(
    `INSERT INTO order_history (order_id, entry, detail)
     SELECT $1, $2, $3 WHERE EXISTS (SELECT FROM orders WHERE id = $1)`,
    [orderId, entry, detail],
  );
}

export async function selectHistory(
  db: Queryable,
  orderId: string,
): Promise<Array<{ at: string; entry: string; detail: Record<string, unknown> }>> {
  const { rows } = await db.query<{ at: Date; entry: string; detail: Record<string, unknown> }>(
    'SELECT at, entry, detail FROM order_history WHERE order_id = $1 ORDER BY at',
    [orderId],
  );
  return rows.map((row) => ({ at: row.at.toISOString(), entry: row.entry, detail: row.detail }));
}
