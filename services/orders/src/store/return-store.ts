import type { Queryable } from '@bazaar/db/pool';
import { SqlParams } from '@bazaar/db/sql-params';
import type { RefundShare } from '../domain/refunds.js';
import type { OrderReturn, ReturnKind, ReturnLine, ReturnStatus } from '../domain/returns.js';

type ReturnRow = {
  id: string;
  order_id: string;
  kind: ReturnKind;
  status: ReturnStatus;
  reason: string;
  note: string | null;
  lines: ReturnLine[];
  refund: number | null;
  refund_tax: number | null;
  refund_shipping: number | null;
  refunded: number | null;
  currency: string;
  email: string;
  user_id: string | null;
  created_at: Date;
  updated_at: Date;
};

const columns = `r.id, r.order_id, r.kind, r.status, r.reason, r.note, r.lines, r.refund,
  r.refund_tax, r.refund_shipping, r.refunded, o.currency, o.email, o.user_id, r.created_at,
  r.updated_at`;

function toReturn(row: ReturnRow): OrderReturn {
  const money = (amount: number) => ({ amount, currency: row.currency });
  return {
    id: row.id,
    orderId: row.order_id,
    userId: row.user_id,
    email: row.email,
    kind: row.kind,
    status: row.status,
    reason: row.reason,
    note: row.note,
    lines: row.lines,
    refund:
      row.refund === null
        ? null
        : {
            amount: money(row.refund),
            tax: money(row.refund_tax ?? 0),
            shipping: money(row.refund_shipping ?? 0),
          },
    refunded: row.refunded === null ? null : money(row.refunded),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function insertReturn(
  db: Queryable,
  entry: {
    id: string;
    orderId: string;
    kind: ReturnKind;
    status: ReturnStatus;
    reason: string;
    lines: readonly ReturnLine[];
    refund?: RefundShare;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO returns (id, order_id, kind, status, reason, lines, refund, refund_tax,
                          refund_shipping)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      entry.id,
      entry.orderId,
      entry.kind,
      entry.status,
      entry.reason,
      JSON.stringify(entry.lines),
      entry.refund?.amount ?? null,
      entry.refund?.tax ?? null,
      entry.refund?.shipping ?? null,
    ],
  );
}

export async function selectReturn(
  db: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<OrderReturn | undefined> {
  const { rows } = await db.query<ReturnRow>(
    `SELECT ${columns} FROM returns r JOIN orders o ON o.id = r.order_id
      WHERE r.id = $1${options.forUpdate ? ' FOR UPDATE OF r' : ''}`,
    [id],
  );
  return rows[0] && toReturn(rows[0]);
}

/** The returns of one order, oldest first; or of every order (newest first), of one status. */
export async function selectReturns(
  db: Queryable,
  query: { orderId?: string; status?: ReturnStatus; limit?: number },
): Promise<OrderReturn[]> {
  const params = new SqlParams();
  const conditions: string[] = [];
  if (query.orderId !== undefined) conditions.push(`r.order_id = ${params.add(query.orderId)}`);
  if (query.status !== undefined) conditions.push(`r.status = ${params.add(query.status)}`);
  const { rows } = await db.query<ReturnRow>(
    `SELECT ${columns} FROM returns r JOIN orders o ON o.id = r.order_id
      ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
      ORDER BY r.created_at ${query.orderId !== undefined ? 'ASC' : 'DESC'}, r.id
      ${query.limit !== undefined ? `LIMIT ${params.add(query.limit)}` : ''}`,
    params.values,
  );
  return rows.map(toReturn);
}

/** Moves a return on from one of `from`; false when it was in none (someone moved it first). */
export async function updateReturn(
  db: Queryable,
  id: string,
  change: {
    from: readonly ReturnStatus[];
    to: ReturnStatus;
    note?: string;
    lines?: readonly ReturnLine[];
    refund?: RefundShare;
    refunded?: number;
  },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE returns SET status = $3, updated_at = now(), note = coalesce($4, note),
            lines = coalesce($5, lines), refund = coalesce($6, refund),
            refund_tax = coalesce($7, refund_tax), refund_shipping = coalesce($8, refund_shipping),
            refunded = coalesce($9, refunded)
      WHERE id = $1 AND status = ANY($2)`,
    [
      id,
      change.from,
      change.to,
      change.note ?? null,
      change.lines ? JSON.stringify(change.lines) : null,
      change.refund?.amount ?? null,
      change.refund?.tax ?? null,
      change.refund?.shipping ?? null,
      change.refunded ?? null,
    ],
  );
  return rowCount === 1;
}
