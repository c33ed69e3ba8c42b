import type { RunningShop } from '@bazaar/testing/shop';
import { waitFor } from '@bazaar/testing/until';

/** What the whole shop must agree on once a fault has passed; each broken rule is one line. */
export async function ledgerViolations(
  shop: RunningShop,
  options: {
    /** Orders a client was told are confirmed (201): none may be lost. */
    accepted: readonly string[];
    /** The stock each SKU the scenario sold from started with. */
    initialStock: ReadonlyMap<string, number>;
  },
): Promise<string[]> {
  const violations: string[] = [];
  const rows = async <T>(service: string, sql: string, values: unknown[] = []) =>
    (await shop.db(service).query(sql, values)).rows as T[];

  const count = async (service: string, sql: string) =>
    (await rows<{ n: number }>(service, sql))[0]?.n ?? 0;
  /** Waits up to 60 s for the count to reach `expected`; a failure to is one violation. */
  const settles = (service: string, sql: string, expected: number, failure: string) =>
    waitFor(
      () => count(service, sql),
      (n) => n === expected,
      { timeoutMs: 60_000 },
    ).catch(() => {
      violations.push(failure);
    });

  // The sweeper settles what a crash left pending; the relays drain the outboxes.
  await settles(
    'orders',
    "SELECT count(*)::int AS n FROM orders WHERE status = 'pending'",
    0,
    'orders still pending 60 s after the fault',
  );
  for (const service of ['identity', 'catalog', 'inventory', 'orders', 'payments']) {
    await settles(
      service,
      'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
      0,
      `${service} has events unsent 60 s after the fault`,
    );
  }

  const orders = await rows<{ id: string; status: string }>(
    'orders',
    'SELECT id, status FROM orders',
  );
  const payments = new Map(
    (
      await rows<{ order_id: string; status: string }>(
        'payments',
        'SELECT order_id, status FROM payments',
      )
    ).map((row) => [row.order_id, row.status]),
  );
  const reservations = new Map(
    (
      await rows<{ order_id: string; status: string }>(
        'inventory',
        'SELECT order_id, status FROM reservations',
      )
    ).map((row) => [row.order_id, row.status]),
  );
  const status = new Map(orders.map((order) => [order.id, order.status]));

  for (const id of options.accepted) {
    if (status.get(id) !== 'confirmed')
      violations.push(`accepted order ${id} is ${status.get(id) ?? 'missing'}`);
  }
  for (const { id, status: orderStatus } of orders) {
    const payment = payments.get(id);
    const reservation = reservations.get(id);
    if (orderStatus === 'confirmed') {
      if (payment !== 'captured')
        violations.push(`confirmed order ${id} has payment ${payment ?? 'none'}`);
      if (reservation !== 'committed') {
        violations.push(`confirmed order ${id} has reservation ${reservation ?? 'none'}`);
      }
    } else {
      if (payment === 'authorized' || payment === 'captured') {
        violations.push(`${orderStatus} order ${id} holds a ${payment} payment`);
      }
      if (reservation === 'held' || reservation === 'committed') {
        violations.push(`${orderStatus} order ${id} holds a ${reservation} reservation`);
      }
    }
  }
  for (const orderId of payments.keys()) {
    if (!status.has(orderId)) violations.push(`payment for order ${orderId}, which does not exist`);
  }

  const stock = await rows<{ sku: string; on_hand: number; reserved: number; sold: number }>(
    'inventory',
    `SELECT s.sku, s.on_hand, s.reserved, coalesce((SELECT sum(l.quantity) FROM reservation_lines l
       JOIN reservations r USING (order_id) WHERE l.sku = s.sku AND r.status = 'committed'), 0)::int AS sold
       FROM stock s WHERE s.sku = ANY($1)`,
    [[...options.initialStock.keys()]],
  );
  for (const { sku, on_hand: onHand, reserved, sold } of stock) {
    const initial = options.initialStock.get(sku) ?? 0;
    if (onHand + sold !== initial)
      violations.push(`${sku}: ${onHand} on hand + ${sold} sold ≠ ${initial}`);
    if (reserved !== 0) violations.push(`${sku}: ${reserved} still reserved`);
  }

  // Applied twice would show as a second effect of one event.
  const confirmed = orders.filter((order) => order.status === 'confirmed').length;
  const receipts = await rows<{ n: number; distinct_events: number }>(
    'notifications',
    "SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct_events FROM messages WHERE kind = 'receipt'",
  );
  const [mail] = receipts;
  if (mail && mail.n !== mail.distinct_events)
    violations.push(`${mail.n - mail.distinct_events} receipts sent twice`);
  await settles(
    'notifications',
    "SELECT count(*)::int AS n FROM messages WHERE kind = 'receipt'",
    confirmed,
    `receipts ≠ ${confirmed} confirmed orders 60 s after the fault`,
  );
  const doubled = await rows<{ order_id: string; entry: string; n: number }>(
    'orders',
    `SELECT order_id, entry, count(*)::int AS n FROM order_history
      WHERE entry LIKE 'payment.%' GROUP BY order_id, entry HAVING count(*) > 1`,
  );
  for (const row of doubled)
    violations.push(`order ${row.order_id} recorded ${row.entry} ${row.n} times`);
  return violations;
}
