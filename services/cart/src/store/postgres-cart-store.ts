import { type Pool, type Queryable, withTransaction } from '@bazaar/db/pool';
import {
  type CartLine,
  type CartSettings,
  type CartStore,
  type CheckoutState,
  maxQuantity,
} from '../domain/cart.js';

/**
 * Carts in PostgreSQL, for a shop without Redis. A cart expires `ttlSeconds` after its last change:
 * reads ignore it, and an hourly sweep deletes expired carts and checkouts settled that long ago.
 * A change to a live cart is one statement; an expired cart (rare) is first dropped, then the
 * change makes it anew.
 */
export function postgresCartStore(db: Pool, options: { ttlSeconds: number }): CartStore {
  const touch = (trx: Queryable, owner: string) =>
    trx.query(
      `INSERT INTO carts (owner, expires_at) VALUES ($1, now() + make_interval(secs => $2))
       ON CONFLICT (owner) DO UPDATE SET expires_at = excluded.expires_at`,
      [owner, options.ttlSeconds],
    );
  const sweep = setInterval(() => {
    db.query('DELETE FROM carts WHERE expires_at < now()').catch(() => undefined);
    db.query(
      `DELETE FROM cart_checkouts WHERE state <> 'claimed'
          AND settled_at < now() - make_interval(secs => $1)`,
      [options.ttlSeconds],
    ).catch(() => undefined);
  }, 3_600_000);
  sweep.unref();

  return {
    read: async (cart) => {
      const { rows } = await db.query<{ lines: CartLine[]; settings: CartSettings }>(liveCart(), [
        cart,
      ]);
      return rows[0] ?? { lines: [], settings: {} };
    },
    saveSettings: async (cart, settings) => {
      const save = () =>
        db.query(
          `INSERT INTO carts (owner, settings, expires_at)
           VALUES ($1, $2, now() + make_interval(secs => $3))
           ON CONFLICT (owner) DO UPDATE SET settings = excluded.settings,
                                             expires_at = excluded.expires_at
            WHERE carts.expires_at > now()`,
          [cart, JSON.stringify(settings), options.ttlSeconds],
        );
      if ((await save()).rowCount === 1) return;
      await dropIfExpired(db, cart);
      await save();
    },
    add: async (cart, line) => {
      // The line is added only to a live cart (`live`): an expired one is dropped first.
      const add = async () => {
        const { rows } = await db.query<{ live: boolean; quantity: number | null }>(
          `WITH cart AS (
             INSERT INTO carts (owner, expires_at) VALUES ($1, now() + make_interval(secs => $5))
             ON CONFLICT (owner) DO UPDATE SET expires_at = excluded.expires_at
              WHERE carts.expires_at > now()
             RETURNING owner),
           added AS (
             INSERT INTO cart_lines (owner, sku, quantity) SELECT owner, $2, $3 FROM cart
             ON CONFLICT (owner, sku) DO UPDATE
               SET quantity = cart_lines.quantity + excluded.quantity
              WHERE cart_lines.quantity + excluded.quantity <= $4
             RETURNING quantity)
           SELECT EXISTS (SELECT FROM cart) AS live, (SELECT quantity FROM added) AS quantity`,
          [cart, line.sku, line.quantity, maxQuantity, options.ttlSeconds],
        );
        return rows[0];
      };
      let added = await add();
      if (!added?.live) {
        await dropIfExpired(db, cart);
        added = await add();
      }
      return added?.quantity ?? undefined;
    },
    // A line of an expired cart is not there: nothing to set.
    set: async (cart, line) => {
      const { rows } = await db.query<{ set: boolean }>(
        `WITH line AS (
           UPDATE cart_lines l SET quantity = $3 FROM carts c
            WHERE l.owner = $1 AND l.sku = $2 AND c.owner = l.owner AND c.expires_at > now()
           RETURNING l.owner),
         touched AS (
           UPDATE carts SET expires_at = now() + make_interval(secs => $4)
            WHERE owner IN (SELECT owner FROM line))
         SELECT EXISTS (SELECT FROM line) AS set`,
        [cart, line.sku, line.quantity, options.ttlSeconds],
      );
      return rows[0]?.set === true;
    },
    remove: async (cart, skus) => {
      await db.query('DELETE FROM cart_lines WHERE owner = $1 AND sku = ANY($2)', [cart, skus]);
    },
    claim: async (cart, orderId, lines) => {
      // One statement, all lines or none: each line's row is locked and must still hold the
      // quantity (a concurrent claim that took it first is waited for, then seen); only then is
      // the checkout recorded, if it is new, and the lines taken.
      const { rows } = await db.query<{ recorded: boolean }>(
        `WITH wanted AS (SELECT * FROM unnest($2::text[], $3::int[]) AS w (sku, quantity)),
           held AS (SELECT l.sku FROM cart_lines l JOIN wanted w USING (sku)
                     WHERE l.owner = $1 AND l.quantity >= w.quantity FOR UPDATE OF l),
           recorded AS (
             INSERT INTO cart_checkouts (order_id, owner, lines, state)
             SELECT $4, $1, $5, 'claimed' WHERE (SELECT count(*) FROM held) = cardinality($2::text[])
             ON CONFLICT (order_id) DO NOTHING RETURNING 1),
           taken AS (SELECT * FROM wanted WHERE EXISTS (SELECT FROM recorded)),
           emptied AS (DELETE FROM cart_lines l USING taken w
                        WHERE l.owner = $1 AND l.sku = w.sku AND l.quantity = w.quantity),
           lowered AS (UPDATE cart_lines l SET quantity = l.quantity - w.quantity FROM taken w
                        WHERE l.owner = $1 AND l.sku = w.sku AND l.quantity > w.quantity)
         SELECT EXISTS (SELECT FROM recorded) AS recorded`,
        [
          cart,
          lines.map((line) => line.sku),
          lines.map((line) => line.quantity),
          orderId,
          JSON.stringify(lines),
        ],
      );
      if (rows[0]?.recorded) return { claimed: true };
      // Not recorded: the order claimed before (a repeat), or the lines are no longer all there.
      const { rows: earlier } = await db.query<{ state: CheckoutState }>(
        'SELECT state FROM cart_checkouts WHERE order_id = $1',
        [orderId],
      );
      const state = earlier[0]?.state;
      if (state === undefined) return { claimed: false, heldBy: await inProgress(db, cart) };
      return state === 'returned' ? { claimed: false, heldBy: [] } : { claimed: true };
    },
    readForCheckout: async (cart) => {
      const { rows } = await db.query<{
        lines: CartLine[];
        settings: CartSettings;
        checkouts: string[];
      }>(
        liveCart(`coalesce((SELECT json_agg(k.order_id ORDER BY k.claimed_at) FROM cart_checkouts k
                            WHERE k.owner = $1 AND k.state = 'claimed'), '[]') AS checkouts`),
        [cart],
      );
      const row = rows[0];
      return {
        lines: row?.lines ?? [],
        settings: row?.settings ?? {},
        checkoutsInProgress: row?.checkouts ?? [],
      };
    },
    giveBack: (cart, orderId) =>
      withTransaction(db, async (trx) => {
        // A checkout that claimed nothing is returned all the same: its claim, should it still
        // arrive (held up on the way), finds it returned and is refused, not held for ever.
        const { rowCount } = await trx.query(
          `INSERT INTO cart_checkouts (order_id, owner, lines, state, settled_at)
           VALUES ($1, $2, '[]', 'returned', now()) ON CONFLICT (order_id) DO NOTHING`,
          [orderId, cart],
        );
        if (rowCount === 1) return;
        const { rows } = await trx.query<{ lines: CartLine[] }>(
          `UPDATE cart_checkouts SET state = 'returned', settled_at = now()
            WHERE order_id = $1 AND owner = $2 AND state = 'claimed' RETURNING lines`,
          [orderId, cart],
        );
        const lines = rows[0]?.lines;
        if (!lines) return;
        await dropIfExpired(trx, cart);
        await touch(trx, cart);
        await trx.query(
          `INSERT INTO cart_lines (owner, sku, quantity)
           SELECT $1, sku, quantity FROM unnest($2::text[], $3::int[]) AS l (sku, quantity)
           ON CONFLICT (owner, sku) DO UPDATE
             SET quantity = least(cart_lines.quantity + excluded.quantity, $4)`,
          [cart, lines.map((line) => line.sku), lines.map((line) => line.quantity), maxQuantity],
        );
      }),
    markBought: async (cart, orderId) => {
      await db.query(
        `WITH bought AS (
           UPDATE cart_checkouts SET state = 'bought', settled_at = now()
            WHERE order_id = $1 AND owner = $2 AND state = 'claimed' RETURNING owner)
         UPDATE carts SET settings = settings - 'promotionCode' FROM bought
          WHERE carts.owner = bought.owner`,
        [orderId, cart],
      );
    },
    merge: (from, to) =>
      withTransaction(db, async (trx) => {
        await dropIfExpired(trx, from);
        await dropIfExpired(trx, to);
        await touch(trx, to);
        await trx.query(
          `INSERT INTO cart_lines (owner, sku, quantity)
           SELECT $2, sku, quantity FROM cart_lines WHERE owner = $1
           ON CONFLICT (owner, sku) DO UPDATE
             SET quantity = least(cart_lines.quantity + excluded.quantity, $3)`,
          [from, to, maxQuantity],
        );
        await trx.query(
          `UPDATE carts t SET settings = t.settings || f.settings FROM carts f
            WHERE t.owner = $2 AND f.owner = $1`,
          [from, to],
        );
        await trx.query('DELETE FROM carts WHERE owner = $1', [from]);
      }),
    close: async () => clearInterval(sweep),
  };
}

/**
 * The live cart of owner `$1` as one row, its settings (`{}` for none) and lines in SKU order (`[]`
 * for none), with the `also` columns given.
 */
function liveCart(also?: string): string {
  return `SELECT coalesce(c.settings, '{}') AS settings,
                 coalesce((SELECT json_agg(json_build_object('sku', l.sku, 'quantity', l.quantity)
                                   ORDER BY l.sku)
                             FROM cart_lines l WHERE l.owner = c.owner), '[]') AS lines
                 ${also ? `, ${also}` : ''}
            FROM (SELECT $1::text AS owner) o
            LEFT JOIN carts c ON c.owner = o.owner AND c.expires_at > now()`;
}

async function inProgress(db: Queryable, owner: string): Promise<string[]> {
  const { rows } = await db.query<{ order_id: string }>(
    "SELECT order_id FROM cart_checkouts WHERE owner = $1 AND state = 'claimed' ORDER BY claimed_at",
    [owner],
  );
  return rows.map((row) => row.order_id);
}

async function dropIfExpired(trx: Queryable, owner: string): Promise<void> {
  await trx.query('DELETE FROM carts WHERE owner = $1 AND expires_at <= now()', [owner]);
}
