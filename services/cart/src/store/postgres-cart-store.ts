import { type Pool, type Queryable, withTransaction } from '@bazaar/db/pool';
import {
  type CartLine,
  type CartOwner,
  type CartStore,
  maxQuantity,
  ownerKey,
} from '../domain/cart.js';
import { hashGuestToken } from '../domain/guest-token.js';

/**
 * Carts in PostgreSQL, for a shop without Redis. A cart expires `ttlSeconds` after its last change:
 * reads ignore it, and an hourly sweep deletes expired carts.
 */
export function postgresCartStore(db: Pool, options: { ttlSeconds: number }): CartStore {
  const key = (owner: CartOwner) => ownerKey(owner, hashGuestToken);
  const touch = (trx: Queryable, owner: string) =>
    trx.query(
      `INSERT INTO carts (owner, expires_at) VALUES ($1, now() + make_interval(secs => $2))
       ON CONFLICT (owner) DO UPDATE SET expires_at = excluded.expires_at`,
      [owner, options.ttlSeconds],
    );
  const sweep = setInterval(() => {
    db.query('DELETE FROM carts WHERE expires_at < now()').catch(() => undefined);
  }, 3_600_000);
  sweep.unref();

  return {
    lines: async (owner) => {
      const { rows } = await db.query<CartLine>(
        `SELECT l.sku, l.quantity FROM cart_lines l JOIN carts c ON c.owner = l.owner
          WHERE l.owner = $1 AND c.expires_at > now() ORDER BY l.sku`,
        [key(owner)],
      );
      return rows;
    },
    add: (owner, line) =>
      withTransaction(db, async (trx) => {
        await dropIfExpired(trx, key(owner));
        await touch(trx, key(owner));
        const { rows } = await trx.query<{ quantity: number }>(
          `INSERT INTO cart_lines (owner, sku, quantity) VALUES ($1, $2, $3)
           ON CONFLICT (owner, sku) DO UPDATE SET quantity = cart_lines.quantity + excluded.quantity
            WHERE cart_lines.quantity + excluded.quantity <= $4
           RETURNING quantity`,
          [key(owner), line.sku, line.quantity, maxQuantity],
        );
        return rows[0]?.quantity;
      }),
    set: (owner, line) =>
      withTransaction(db, async (trx) => {
        await dropIfExpired(trx, key(owner));
        const { rowCount } = await trx.query(
          'UPDATE cart_lines SET quantity = $3 WHERE owner = $1 AND sku = $2',
          [key(owner), line.sku, line.quantity],
        );
        if (rowCount === 1) await touch(trx, key(owner));
        return rowCount === 1;
      }),
    remove: async (owner, skus) => {
      await db.query('DELETE FROM cart_lines WHERE owner = $1 AND sku = ANY($2)', [
        key(owner),
        skus,
      ]);
    },
    subtract: (owner, lines, eventId) =>
      withTransaction(db, async (trx) => {
        const { rowCount } = await trx.query(
          `INSERT INTO cart_applied_events (owner, event_id) SELECT owner, $2 FROM carts
            WHERE owner = $1 ON CONFLICT DO NOTHING`,
          [key(owner), eventId],
        );
        if (rowCount !== 1) return;
        // Lines bought whole go; the others keep what was added since.
        await trx.query(
          `WITH bought AS (SELECT * FROM unnest($2::text[], $3::int[]) AS b (sku, quantity)),
                gone AS (DELETE FROM cart_lines l USING bought b
                          WHERE l.owner = $1 AND l.sku = b.sku AND l.quantity <= b.quantity)
           UPDATE cart_lines l SET quantity = l.quantity - b.quantity FROM bought b
            WHERE l.owner = $1 AND l.sku = b.sku AND l.quantity > b.quantity`,
          [key(owner), lines.map((line) => line.sku), lines.map((line) => line.quantity)],
        );
      }),
    merge: (from, to) =>
      withTransaction(db, async (trx) => {
        await dropIfExpired(trx, key(from));
        await dropIfExpired(trx, key(to));
        await touch(trx, key(to));
        await trx.query(
          `INSERT INTO cart_lines (owner, sku, quantity)
           SELECT $2, sku, quantity FROM cart_lines WHERE owner = $1
           ON CONFLICT (owner, sku) DO UPDATE
             SET quantity = least(cart_lines.quantity + excluded.quantity, $3)`,
          [key(from), key(to), maxQuantity],
        );
        await trx.query('DELETE FROM carts WHERE owner = $1', [key(from)]);
      }),
    close: async () => clearInterval(sweep),
  };
}

async function dropIfExpired(trx: Queryable, owner: string): Promise<void> {
  await trx.query('DELETE FROM carts WHERE owner = $1 AND expires_at <= now()', [owner]);
}
