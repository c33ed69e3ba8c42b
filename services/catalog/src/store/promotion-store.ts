import type { Queryable } from '@bazaar/db/pool';
import { type KeysetPosition, keysetTimestamp } from '@bazaar/service-kit/keyset-cursor';
import type { Promotion } from '../domain/promotions.js';

type PromotionRow = {
  id: string;
  code: string;
  description: string;
  kind: Promotion['kind'];
  percent: number | null;
  amount: number | null;
  currency: string | null;
  category: string | null;
  min_subtotal: number | null;
  starts_at: Date;
  ends_at: Date | null;
  usage_limit: number | null;
  per_customer_limit: number | null;
  active: boolean;
  uses: number;
  created_at: Date;
  created_at_key: string;
};

const columns = `id, code, description, kind, percent, amount, currency, category, min_subtotal,
  starts_at, ends_at, usage_limit, per_customer_limit, active, uses, created_at,
  ${keysetTimestamp('created_at')} AS created_at_key`;

function toPromotion(row: PromotionRow): Promotion {
  return {
    id: row.id,
    code: row.code,
    description: row.description,
    kind: row.kind,
    percent: row.percent,
    amount: row.amount,
    currency: row.currency,
    category: row.category,
    minSubtotal: row.min_subtotal,
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at?.toISOString() ?? null,
    usageLimit: row.usage_limit,
    perCustomerLimit: row.per_customer_limit,
    active: row.active,
    uses: row.uses,
    createdAt: row.created_at.toISOString(),
  };
}

export async function selectPromotion(
  db: Queryable,
  by: { id: string } | { code: string },
): Promise<Promotion | undefined> {
  const { rows } = await db.query<PromotionRow>(
    `SELECT ${columns} FROM promotions WHERE ${'id' in by ? 'id' : 'code'} = $1`,
    ['id' in by ? by.id : by.code],
  );
  return rows[0] && toPromotion(rows[0]);
}

/** A page of promotions, newest first. */
export async function selectPromotions(
  db: Queryable,
  page: { after: KeysetPosition | undefined; limit: number },
): Promise<Array<{ item: Promotion; position: KeysetPosition }>> {
  const { rows } = await db.query<PromotionRow>(
    `SELECT ${columns} FROM promotions
      WHERE $1::timestamptz IS NULL OR (created_at, id) < ($1::timestamptz, $2::uuid)
      ORDER BY created_at DESC, id DESC LIMIT $3`,
    [page.after?.key ?? null, page.after?.id ?? null, page.limit],
  );
  return rows.map((row) => ({
    item: toPromotion(row),
    position: { key: row.created_at_key, id: row.id },
  }));
}

export type PromotionFields = Omit<Promotion, 'id' | 'uses' | 'createdAt'>;

/** Writes a promotion, new or changed (its use count is the holds' alone); false: the code is taken. */
export async function savePromotion(
  db: Queryable,
  id: string,
  fields: PromotionFields,
): Promise<boolean> {
  const { rowCount } = await db
    .query(
      `INSERT INTO promotions (id, code, description, kind, percent, amount, currency, category,
                             min_subtotal, starts_at, ends_at, usage_limit, per_customer_limit, active)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (id) DO UPDATE SET
       code = excluded.code, description = excluded.description, kind = excluded.kind,
       percent = excluded.percent, amount = excluded.amount, currency = excluded.currency,
       category = excluded.category, min_subtotal = excluded.min_subtotal,
       starts_at = excluded.starts_at, ends_at = excluded.ends_at,
       usage_limit = excluded.usage_limit, per_customer_limit = excluded.per_customer_limit,
       active = excluded.active`,
      [
        id,
        fields.code,
        fields.description,
        fields.kind,
        fields.percent,
        fields.amount,
        fields.currency,
        fields.category,
        fields.minSubtotal,
        fields.startsAt,
        fields.endsAt,
        fields.usageLimit,
        fields.perCustomerLimit,
        fields.active,
      ],
    )
    .catch((error: { constraint?: string }) => {
      if (error.constraint === 'promotions_code_key') return { rowCount: 0 };
      throw error;
    });
  return rowCount === 1;
}

/** How many uses of a promotion a customer holds or has committed. */
export async function selectCustomerUses(
  db: Queryable,
  promotionId: string,
  customer: string,
): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM promotion_uses
      WHERE promotion_id = $1 AND customer = $2 AND status <> 'released'`,
    [promotionId, customer],
  );
  return rows[0]?.n ?? 0;
}

export type UseStatus = 'held' | 'committed' | 'released';

export async function selectUse(
  db: Queryable,
  orderId: string,
  options: { forUpdate?: boolean } = {},
): Promise<{ promotionId: string; status: UseStatus } | undefined> {
  const { rows } = await db.query<{ promotion_id: string; status: UseStatus }>(
    `SELECT promotion_id, status FROM promotion_uses WHERE order_id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [orderId],
  );
  return rows[0] && { promotionId: rows[0].promotion_id, status: rows[0].status };
}

/**
 * Counts one more use, if the limit allows, locking the promotion's row until the transaction
 * ends (so holds of one code queue, and the per-customer count that follows is exact); false when
 * it is used up or no longer active.
 */
export async function takeUse(db: Queryable, promotionId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE promotions SET uses = uses + 1
      WHERE id = $1 AND active AND (usage_limit IS NULL OR uses < usage_limit)`,
    [promotionId],
  );
  return rowCount === 1;
}

/** Records the order's use: held until `ttlSeconds` from now, or committed at once. */
export async function insertUse(
  db: Queryable,
  use: {
    orderId: string;
    promotionId: string;
    customer: string;
    ttlSeconds: number;
    status: 'held' | 'committed';
  },
): Promise<void> {
  await db.query(
    `INSERT INTO promotion_uses (order_id, promotion_id, customer, status, expires_at)
     VALUES ($1, $2, $3, $5, now() + make_interval(secs => $4))`,
    [use.orderId, use.promotionId, use.customer, use.ttlSeconds, use.status],
  );
}

/** Moves a use from one of `from` to `to`; false when it is in none of them. */
export async function moveUse(
  db: Queryable,
  orderId: string,
  from: readonly UseStatus[],
  to: UseStatus,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE promotion_uses SET status = $3, updated_at = now()
      WHERE order_id = $1 AND status = ANY($2)`,
    [orderId, from, to],
  );
  return rowCount === 1;
}

export async function giveUseBack(db: Queryable, promotionId: string): Promise<void> {
  await db.query('UPDATE promotions SET uses = uses - 1 WHERE id = $1 AND uses > 0', [promotionId]);
}

/** Holds past their time, oldest first: their checkouts neither committed nor released them. */
export async function selectExpiredHolds(db: Queryable, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ order_id: string }>(
    `SELECT order_id FROM promotion_uses WHERE status = 'held' AND expires_at < now()
      ORDER BY expires_at LIMIT $1`,
    [limit],
  );
  return rows.map((row) => row.order_id);
}
