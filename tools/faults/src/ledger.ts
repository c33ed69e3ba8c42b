import type { RunningShop } from '@bazaar/testing/shop';
import { waitFor } from '@bazaar/testing/until';

type Line = { sku: string; quantity: number };

/** What one checkout took from a cart (cart's `cart_checkouts`, or the same kept in Redis). */
export type CartCheckout = { order_id: string; state: string; lines: Line[] };

/** The shop the ledger reads: its databases, its metrics, and where its carts keep checkouts. */
export type LedgerShop = Pick<RunningShop, 'db' | 'metric'> & {
  /** Every cart checkout; by default read from cart's PostgreSQL database. */
  cartCheckouts?: () => Promise<CartCheckout[]>;
};

/** The services whose consumers must have read, and applied, every event once a fault has passed. */
const consumers = ['catalog', 'cart', 'orders', 'notifications'];

/**
 * What the whole shop must agree on once a fault has passed; each broken rule is one line. The
 * shop is processes (`@bazaar/testing/shop`) or containers (`@bazaar/containers`), its carts in
 * PostgreSQL or (`cartCheckouts`) in Redis: what is read is the same.
 */
export async function ledgerViolations(
  shop: LedgerShop,
  options: {
    /** Orders a client was told are confirmed (201): none may be lost. */
    accepted: readonly string[];
    /** Orders a client was told failed (402, 409): none may end confirmed. */
    refused?: readonly string[];
    /** The stock each SKU the scenario sold from started with. */
    initialStock: ReadonlyMap<string, number>;
    /** Units each user (by id) put into the cart: never more may be bought. */
    unitsPutInCarts?: ReadonlyMap<string, number>;
    /** How long the shop may take to settle after the fault (60 s). */
    settleTimeoutMs?: number;
  },
): Promise<string[]> {
  const violations: string[] = [];
  const rows = async <T>(service: string, sql: string, values: unknown[] = []) =>
    (await shop.db(service).query(sql, values)).rows as T[];
  const count = async (service: string, sql: string) =>
    (await rows<{ n: number }>(service, sql))[0]?.n ?? 0;
  const timeoutMs = options.settleTimeoutMs ?? 60_000;
  /** Waits for `probe` to reach `expected`; a failure to is one violation. */
  const settles = (probe: () => Promise<number>, expected: number, failure: string) =>
    waitFor(probe, (n) => n === expected, { timeoutMs }).catch(() => {
      violations.push(failure);
    });

  // The sweeper settles what a crash left pending; the relays drain the outboxes; the consumers
  // read everything and give up on nothing.
  await settles(
    () => count('orders', "SELECT count(*)::int AS n FROM orders WHERE status = 'pending'"),
    0,
    `orders still pending ${timeoutMs / 1000} s after the fault`,
  );
  for (const service of ['identity', 'catalog', 'inventory', 'orders', 'payments']) {
    await settles(
      () => count(service, 'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL'),
      0,
      `${service} has events unsent ${timeoutMs / 1000} s after the fault`,
    );
  }
  for (const service of consumers) {
    await settles(
      () => shop.metric(service, 'bazaar_consumer_lag_events'),
      0,
      `${service} has events unread ${timeoutMs / 1000} s after the fault`,
    );
    const dead = await shop.metric(service, 'bazaar_dead_letters');
    if (dead !== 0) violations.push(`${service} set ${dead} events aside as dead letters`);
  }
  const cartCheckouts =
    shop.cartCheckouts ??
    (() => rows<CartCheckout>('cart', 'SELECT order_id, state, lines FROM cart_checkouts'));
  await settles(
    async () => (await cartCheckouts()).filter((checkout) => checkout.state === 'claimed').length,
    0,
    `cart lines still claimed by a checkout ${timeoutMs / 1000} s after the fault`,
  );

  // A return received is refunded by the sweeper, whatever stopped it on the way.
  await settles(
    () => count('orders', "SELECT count(*)::int AS n FROM returns WHERE status = 'received'"),
    0,
    `returns received and not refunded ${timeoutMs / 1000} s after the fault`,
  );

  // A code's use is held only while its checkout runs.
  await settles(
    () => count('catalog', "SELECT count(*)::int AS n FROM promotion_uses WHERE status = 'held'"),
    0,
    `promotion uses still held ${timeoutMs / 1000} s after the fault`,
  );

  const orders = await rows<{
    id: string;
    user_id: string;
    status: string;
    total: number;
    promotion: { code: string } | null;
    lines: Line[];
  }>(
    'orders',
    `SELECT o.id, o.user_id, o.status, o.total, o.promotion,
            (SELECT coalesce(jsonb_agg(jsonb_build_object('sku', l.sku, 'quantity', l.quantity)), '[]')
               FROM order_lines l WHERE l.order_id = o.id) AS lines
       FROM orders o`,
  );
  const payments = byOrder(
    await rows<{
      order_id: string;
      status: string;
      amount: number;
      refunded: number;
      refunds: number;
    }>(
      'payments',
      `SELECT p.order_id, p.status, p.amount, p.refunded,
              coalesce((SELECT sum(r.amount) FROM refunds r WHERE r.order_id = p.order_id), 0)::int
                AS refunds
         FROM payments p`,
    ),
  );
  // What the returns of each order gave back, by what payments answered.
  const returned = new Map(
    (
      await rows<{ order_id: string; refunded: number }>(
        'orders',
        `SELECT order_id, sum(refunded)::int AS refunded FROM returns
          WHERE status = 'refunded' GROUP BY order_id`,
      )
    ).map((row) => [row.order_id, row.refunded]),
  );
  const reservations = byOrder(
    await rows<{ order_id: string; status: string; lines: Line[] }>(
      'inventory',
      `SELECT r.order_id, r.status,
              (SELECT coalesce(jsonb_agg(jsonb_build_object('sku', l.sku, 'quantity', l.quantity)), '[]')
                 FROM reservation_lines l WHERE l.order_id = r.order_id) AS lines
         FROM reservations r`,
    ),
  );
  const checkouts = byOrder(await cartCheckouts());
  const uses = byOrder(
    await rows<{ order_id: string; status: string }>(
      'catalog',
      'SELECT order_id, status FROM promotion_uses',
    ),
  );
  const status = new Map(orders.map((order) => [order.id, order.status]));
  // An order that took the money and the stock (it may have been cancelled or shipped since).
  const sold = (orderStatus: string | undefined) =>
    ['confirmed', 'shipped', 'cancelled', 'refunded'].includes(orderStatus ?? '');

  for (const id of options.accepted) {
    if (status.get(id) !== 'confirmed')
      violations.push(`accepted order ${id} is ${status.get(id) ?? 'missing'}`);
  }
  for (const id of options.refused ?? []) {
    if (sold(status.get(id)))
      violations.push(`order ${id} was refused to its buyer, yet is ${status.get(id)}`);
  }
  for (const order of orders) {
    const payment = payments.get(order.id);
    const reservation = reservations.get(order.id);
    const checkout = checkouts.get(order.id);
    const use = uses.get(order.id);
    if (order.promotion && sold(order.status) && order.status !== 'cancelled') {
      if (use?.status !== 'committed')
        violations.push(
          `${order.status} order ${order.id} has its code's use ${use?.status ?? 'not held'}`,
        );
    } else if (use?.status === 'committed' || use?.status === 'held') {
      violations.push(`${order.status} order ${order.id} keeps a ${use.status} use of a code`);
    }
    if (order.status === 'confirmed') {
      if (payment?.status !== 'captured')
        violations.push(`confirmed order ${order.id} has payment ${payment?.status ?? 'none'}`);
      else if (payment.amount !== order.total)
        violations.push(`confirmed order ${order.id} of ${order.total} captured ${payment.amount}`);
      if (reservation?.status !== 'committed')
        violations.push(
          `confirmed order ${order.id} has reservation ${reservation?.status ?? 'none'}`,
        );
      else if (!sameLines(reservation.lines, order.lines))
        violations.push(`confirmed order ${order.id} committed other lines than it holds`);
      if (checkout?.state !== 'bought')
        violations.push(
          `confirmed order ${order.id} left its cart lines ${checkout?.state ?? 'unclaimed'}`,
        );
      else if (!sameLines(checkout.lines, order.lines))
        violations.push(`confirmed order ${order.id} took other lines from the cart than it holds`);
    } else if (!sold(order.status)) {
      if (payment?.status === 'authorized' || payment?.status === 'captured')
        violations.push(`${order.status} order ${order.id} holds a ${payment.status} payment`);
      if (reservation?.status === 'held' || reservation?.status === 'committed')
        violations.push(
          `${order.status} order ${order.id} holds a ${reservation.status} reservation`,
        );
      if (checkout?.state === 'bought')
        violations.push(`${order.status} order ${order.id} bought its cart lines`);
    }
    if (
      payment?.status === 'refunded' &&
      !(order.status === 'cancelled' || order.status === 'refunded')
    )
      violations.push(`${order.status} order ${order.id} was refunded`);
    if (payment && payment.amount > order.total)
      violations.push(`order ${order.id} of ${order.total} has a payment of ${payment.amount}`);
    // The money: what is still captured is what the order's lines still hold (the total less its
    // returns' refunds); a cancelled or refunded order holds nothing; refunds add up.
    if (payment && payment.refunds !== payment.refunded)
      violations.push(
        `order ${order.id}: payments refunded ${payment.refunded}, its refunds add to ${payment.refunds}`,
      );
    if (payment?.status === 'captured' || payment?.status === 'refunded') {
      const kept = payment.amount - payment.refunded;
      const holds = ['cancelled', 'refunded'].includes(order.status)
        ? 0
        : order.total - (returned.get(order.id) ?? 0);
      if (kept !== holds)
        violations.push(
          `${order.status} order ${order.id}: ${kept} still captured, its lines hold ${holds}`,
        );
    }
  }
  for (const orderId of payments.keys()) {
    if (!status.has(orderId)) violations.push(`payment for order ${orderId}, which does not exist`);
  }
  for (const [orderId, reservation] of reservations) {
    if (reservation.status === 'committed' && !status.has(orderId))
      violations.push(`committed reservation for order ${orderId}, which does not exist`);
  }
  for (const orderId of checkouts.keys()) {
    if (!status.has(orderId))
      violations.push(`cart lines claimed by order ${orderId}, which does not exist`);
  }
  for (const [orderId, use] of uses) {
    if (use.status !== 'released' && !status.has(orderId))
      violations.push(`a ${use.status} use of a code by order ${orderId}, which does not exist`);
  }
  // Each code counts the uses it gave: held or committed, never released ones.
  const counters = await rows<{ code: string; uses: number; counted: number }>(
    'catalog',
    `SELECT p.code, p.uses, count(u.order_id) FILTER (WHERE u.status <> 'released')::int AS counted
       FROM promotions p LEFT JOIN promotion_uses u ON u.promotion_id = p.id
      GROUP BY p.id HAVING p.uses <> count(u.order_id) FILTER (WHERE u.status <> 'released')`,
  );
  for (const { code, uses: counter, counted } of counters)
    violations.push(`code ${code} counts ${counter} uses and holds ${counted}`);

  // No cart's contents bought twice: no buyer got more units than went into the cart.
  const bought = new Map<string, number>();
  for (const order of orders.filter((candidate) => sold(candidate.status))) {
    const units = order.lines.reduce((sum, line) => sum + line.quantity, 0);
    bought.set(order.user_id, (bought.get(order.user_id) ?? 0) + units);
  }
  for (const [userId, put] of options.unitsPutInCarts ?? []) {
    const units = bought.get(userId) ?? 0;
    if (units > put)
      violations.push(`user ${userId} put ${put} units in the cart and bought ${units}`);
  }

  // Sold: what committed reservations took, less what came back of them (damaged units apart).
  const stock = await rows<{
    sku: string;
    on_hand: number;
    reserved: number;
    damaged: number;
    sold: number;
  }>(
    'inventory',
    `SELECT s.sku, s.on_hand, s.reserved, s.damaged,
            (coalesce((SELECT sum(l.quantity) FROM reservation_lines l JOIN reservations r USING (order_id)
                        WHERE l.sku = s.sku AND r.status = 'committed'), 0)
             - coalesce((SELECT sum(b.quantity) FROM reservation_returns b JOIN reservations r USING (order_id)
                          WHERE b.sku = s.sku AND r.status = 'committed'), 0))::int AS sold
       FROM stock s WHERE s.sku = ANY($1)`,
    [[...options.initialStock.keys()]],
  );
  for (const { sku, on_hand: onHand, reserved, damaged, sold: units } of stock) {
    const initial = options.initialStock.get(sku) ?? 0;
    if (onHand + units + damaged !== initial)
      violations.push(
        `${sku}: ${onHand} on hand + ${units} sold + ${damaged} damaged ≠ ${initial}`,
      );
    if (reserved !== 0) violations.push(`${sku}: ${reserved} still reserved`);
  }

  // One receipt per confirmed order, found through the event that announced it.
  const announced = new Map(
    (
      await rows<{ id: string; subject: string }>(
        'orders',
        "SELECT id, subject FROM outbox WHERE type = 'order.confirmed.v1'",
      )
    ).map((event) => [event.id, event.subject]),
  );
  const confirmed = orders.filter((order) => order.status === 'confirmed').map((order) => order.id);
  const receipts = async () => {
    const perOrder = new Map<string, number>();
    for (const { event_id: eventId } of await rows<{ event_id: string }>(
      'notifications',
      "SELECT event_id FROM messages WHERE kind = 'receipt'",
    )) {
      const orderId = announced.get(eventId) ?? `event ${eventId}`;
      perOrder.set(orderId, (perOrder.get(orderId) ?? 0) + 1);
    }
    return perOrder;
  };
  const wrong = (perOrder: Map<string, number>) => [
    ...confirmed
      .filter((id) => perOrder.get(id) !== 1)
      .map((id) => `confirmed order ${id} has ${perOrder.get(id) ?? 0} receipts`),
    ...[...perOrder.keys()]
      .filter((id) => !confirmed.includes(id))
      .map((id) => `a receipt for ${id}, which is not a confirmed order`),
  ];
  const perOrder = await waitFor(receipts, (found) => wrong(found).length === 0, {
    timeoutMs,
  }).catch(receipts);
  violations.push(...wrong(perOrder));

  // Each refund is recorded once: an order may have several, each of its own id.
  const doubled = await rows<{ order_id: string; entry: string; n: number }>(
    'orders',
    `SELECT order_id, entry, count(*)::int AS n FROM order_history
      WHERE entry LIKE 'payment.%' GROUP BY order_id, entry, detail->>'refundId' HAVING count(*) > 1`,
  );
  for (const row of doubled)
    violations.push(`order ${row.order_id} recorded ${row.entry} ${row.n} times`);
  return violations;
}

function byOrder<T extends { order_id: string }>(list: readonly T[]): Map<string, T> {
  return new Map(list.map((row) => [row.order_id, row]));
}

function sameLines(a: readonly Line[], b: readonly Line[]): boolean {
  const canonical = (lines: readonly Line[]) =>
    JSON.stringify([...lines].map(({ sku, quantity }) => [sku, quantity]).sort());
  return canonical(a) === canonical(b);
}
