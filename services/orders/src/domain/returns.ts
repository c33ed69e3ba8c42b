import { randomUUID } from 'node:crypto';
import { type Pool, withTransaction } from '@bazaar/db/pool';
import { addToOutbox } from '@bazaar/events/outbox';
import { type FieldError, refuseFields } from '@bazaar/service-kit/errors';
import { addHistory, type StoredOrder, selectOrder } from '../store/order-store.js';
import { insertReturn, selectReturn, selectReturns, updateReturn } from '../store/return-store.js';
import { OrdersError } from './errors.js';
import type { Neighbours } from './ports.js';
import { type RefundShare, refundFor } from './refunds.js';

export type ReturnKind = 'return' | 'cancellation';
export type ReturnStatus = 'requested' | 'approved' | 'rejected' | 'received' | 'refunded';
export type ReturnLine = { sku: string; name: string; quantity: number; damaged: number };
type Money = { amount: number; currency: string };

/** Units of an order coming back (the shop API's `OrderReturn`, with whom to tell). */
export type OrderReturn = {
  id: string;
  orderId: string;
  userId: string | null;
  email: string;
  kind: ReturnKind;
  status: ReturnStatus;
  reason: string;
  note: string | null;
  lines: ReturnLine[];
  refund: { amount: Money; tax: Money; shipping: Money } | null;
  refunded: Money | null;
  createdAt: string;
  updatedAt: string;
};

export type ReturnDeps = { db: Pool; services: Pick<Neighbours, 'restock' | 'refundPart'> };

type Units = ReadonlyArray<{ sku: string; quantity: number }>;

const dayMs = 86_400_000;

/** The last moment a return of a shipped order may be asked for; null before it ships. */
export function returnsOpenUntil(order: StoredOrder): string | null {
  if (!order.shippedAt) return null;
  return new Date(Date.parse(order.shippedAt) + order.returnDays * dayMs).toISOString();
}

/**
 * A shopper asks to send back units of a shipped order, within its region's return window. The
 * shop approves or rejects it; the refund is decided when the parcel is received.
 */
export async function requestReturn(
  db: Pool,
  orderId: string,
  request: { lines: Units; reason: string },
): Promise<OrderReturn> {
  const id = randomUUID();
  await withTransaction(db, async (trx) => {
    const order = await lockedOrder(trx, orderId);
    if (order.status !== 'shipped') {
      throw new OrdersError(
        'not_returnable',
        order.status === 'confirmed'
          ? 'This order has not shipped yet: cancel the items instead'
          : `A ${order.status} order cannot be returned`,
        { orderStatus: order.status },
      );
    }
    const until = returnsOpenUntil(order);
    if (until && Date.now() > Date.parse(until)) {
      throw new OrdersError('return_window_closed', `Returns of this order closed on ${until}`, {
        returnsOpenUntil: until,
      });
    }
    const lines = checkedLines(order, await selectReturns(trx, { orderId }), request.lines);
    await insertReturn(trx, {
      id,
      orderId,
      kind: 'return',
      status: 'requested',
      reason: request.reason,
      lines,
    });
    await addHistory(trx, orderId, 'return requested', { returnId: id });
    await addToOutbox(trx, {
      type: 'return.requested.v1',
      subject: orderId,
      data: {
        returnId: id,
        orderId,
        userId: order.userId,
        email: order.email,
        reason: request.reason,
        lines: lines.map(({ sku, name, quantity }) => ({ sku, name, quantity })),
      },
    });
  });
  return (await selectReturn(db, id)) as OrderReturn;
}

/**
 * Some units of a confirmed order that has not shipped are cancelled: they are received back at
 * once (they never left), their share refunded and their stock put back on the shelf.
 */
export async function cancelLines(
  deps: ReturnDeps,
  orderId: string,
  request: { lines: Units; reason: string },
): Promise<OrderReturn> {
  const id = randomUUID();
  await withTransaction(deps.db, async (trx) => {
    const order = await lockedOrder(trx, orderId);
    if (order.status !== 'confirmed' || order.shipment) {
      throw new OrdersError(
        'not_returnable',
        order.status === 'shipped'
          ? 'This order has shipped: ask for a return instead'
          : `Items of a ${order.status} order cannot be cancelled`,
        { orderStatus: order.status },
      );
    }
    const returns = await selectReturns(trx, { orderId });
    const lines = checkedLines(order, returns, request.lines);
    const refund = refundFor(order, receivedUnits(returns), lines);
    await insertReturn(trx, {
      id,
      orderId,
      kind: 'cancellation',
      status: 'received',
      reason: request.reason,
      lines,
      refund,
    });
    await announceReceived(trx, order, { id, kind: 'cancellation', lines }, refund);
  });
  return settleReturn(deps, id);
}

/** The shop's decision on a requested return: approved (the parcel may come), or rejected, saying why. */
export async function decideReturn(
  db: Pool,
  returnId: string,
  decision: { approve: true } | { approve: false; note: string },
): Promise<OrderReturn> {
  await withTransaction(db, async (trx) => {
    const entry = await selectReturn(trx, returnId, { forUpdate: true });
    if (!entry) throw new OrdersError('not_found', `There is no return ${returnId}`);
    const to = decision.approve ? 'approved' : 'rejected';
    if (entry.status === to) return;
    if (entry.status !== 'requested') {
      throw new OrdersError('invalid_transition', `A ${entry.status} return cannot be ${to}`, {
        returnStatus: entry.status,
      });
    }
    await updateReturn(trx, returnId, {
      from: ['requested'],
      to,
      ...(decision.approve ? {} : { note: decision.note }),
    });
    await addHistory(trx, entry.orderId, `return ${to}`, { returnId });
    if (!decision.approve) {
      await addToOutbox(trx, {
        type: 'return.rejected.v1',
        subject: entry.orderId,
        data: {
          returnId,
          orderId: entry.orderId,
          userId: entry.userId,
          email: entry.email,
          note: decision.note,
        },
      });
    }
  });
  return (await selectReturn(db, returnId)) as OrderReturn;
}

/**
 * The parcel arrived: its units are received (those `damaged` counted apart from the sellable
 * ones), the refund decided from what came back before it, then paid and the stock put back.
 * Receiving again finishes a receipt a crash interrupted.
 */
export async function receiveReturn(
  deps: ReturnDeps,
  returnId: string,
  damaged: Units,
): Promise<OrderReturn> {
  const found = await selectReturn(deps.db, returnId);
  if (!found) throw new OrdersError('not_found', `There is no return ${returnId}`);
  await withTransaction(deps.db, async (trx) => {
    const order = await lockedOrder(trx, found.orderId);
    const entry = (await selectReturn(trx, returnId, { forUpdate: true })) as OrderReturn;
    if (entry.status === 'received' || entry.status === 'refunded') return;
    if (entry.status === 'rejected') {
      throw new OrdersError('invalid_transition', 'A rejected return cannot be received', {
        returnStatus: entry.status,
      });
    }
    const lines = withDamaged(entry.lines, damaged);
    const refund = refundFor(
      order,
      receivedUnits(await selectReturns(trx, { orderId: order.id })),
      lines,
    );
    await updateReturn(trx, returnId, {
      from: ['requested', 'approved'],
      to: 'received',
      lines,
      refund,
    });
    await announceReceived(trx, order, { id: returnId, kind: 'return', lines }, refund);
  });
  return settleReturn(deps, returnId);
}

/**
 * Pays a received return's refund and puts its units back, each idempotent by the return's id, so
 * that the sweeper may finish what a crash left. Payments gives back no more than is left: after
 * the whole order was cancelled meanwhile, the return is refunded with what remained (nothing).
 */
export async function settleReturn(deps: ReturnDeps, returnId: string): Promise<OrderReturn> {
  const entry = await selectReturn(deps.db, returnId);
  if (!entry) throw new OrdersError('not_found', `There is no return ${returnId}`);
  if (entry.status !== 'received') return entry;
  await deps.services.restock(entry.orderId, entry.id, entry.lines);
  const amount = entry.refund?.amount.amount ?? 0;
  const refunded = amount > 0 ? await deps.services.refundPart(entry.orderId, entry.id, amount) : 0;
  await withTransaction(deps.db, async (trx) => {
    if (await updateReturn(trx, entry.id, { from: ['received'], to: 'refunded', refunded })) {
      await addHistory(trx, entry.orderId, 'return refunded', { returnId, refunded });
    }
  });
  return (await selectReturn(deps.db, returnId)) as OrderReturn;
}

async function lockedOrder(trx: Parameters<typeof selectOrder>[0], orderId: string) {
  const order = await selectOrder(trx, orderId, { forUpdate: true });
  if (!order) throw new OrdersError('not_found', `There is no order ${orderId}`);
  return order;
}

async function announceReceived(
  trx: Parameters<typeof addToOutbox>[0],
  order: StoredOrder,
  entry: { id: string; kind: ReturnKind; lines: readonly ReturnLine[] },
  refund: RefundShare,
): Promise<void> {
  await addHistory(trx, order.id, `${entry.kind} received`, {
    returnId: entry.id,
    refund: refund.amount,
  });
  await addToOutbox(trx, {
    type: 'return.received.v1',
    subject: order.id,
    data: {
      returnId: entry.id,
      orderId: order.id,
      userId: order.userId,
      email: order.email,
      kind: entry.kind,
      lines: [...entry.lines],
      refund: { amount: refund.amount, currency: order.total.currency },
    },
  });
}

const unprocessable = (detail: string, details: { errors: FieldError[] }) =>
  new OrdersError('unprocessable', detail, details);

/** Units of each SKU back already: received, and refunded or on the way to it. */
function receivedUnits(returns: readonly OrderReturn[]): Map<string, number> {
  return unitsIn(
    returns.filter((entry) => entry.status === 'received' || entry.status === 'refunded'),
  );
}

function unitsIn(returns: readonly OrderReturn[]): Map<string, number> {
  const units = new Map<string, number>();
  for (const line of returns.flatMap((entry) => entry.lines)) {
    units.set(line.sku, (units.get(line.sku) ?? 0) + line.quantity);
  }
  return units;
}

/**
 * The lines asked for, each a SKU of the order once, and no more units than it has left that no
 * other return (but a rejected one) takes; every bad line named.
 */
function checkedLines(
  order: StoredOrder,
  returns: readonly OrderReturn[],
  asked: Units,
): ReturnLine[] {
  const taken = unitsIn(returns.filter((entry) => entry.status !== 'rejected'));
  const errors: FieldError[] = [];
  const lines: ReturnLine[] = [];
  asked.forEach(({ sku, quantity }, index) => {
    const line = order.lines.find((candidate) => candidate.sku === sku);
    if (!line) {
      errors.push({
        field: `lines.${index}.sku`,
        in: 'body',
        message: 'is not a line of the order',
      });
    } else if (asked.findIndex((other) => other.sku === sku) !== index) {
      errors.push({ field: `lines.${index}.sku`, in: 'body', message: 'is named twice' });
    } else {
      const left = line.quantity - (taken.get(sku) ?? 0);
      if (quantity > left) {
        errors.push({
          field: `lines.${index}.quantity`,
          in: 'body',
          message: left === 0 ? 'none are left to send back' : `only ${left} can be sent back`,
        });
      }
      lines.push({ sku, name: line.name, quantity, damaged: 0 });
    }
  });
  refuseFields(errors, unprocessable);
  return lines;
}

/** The return's lines with the damaged units the shop counted; each no more than came back. */
function withDamaged(lines: readonly ReturnLine[], damaged: Units): ReturnLine[] {
  const errors: FieldError[] = [];
  damaged.forEach(({ sku, quantity }, index) => {
    const line = lines.find((candidate) => candidate.sku === sku);
    if (!line)
      errors.push({ field: `damaged.${index}.sku`, in: 'body', message: 'is not in the return' });
    else if (quantity > line.quantity)
      errors.push({
        field: `damaged.${index}.quantity`,
        in: 'body',
        message: `is more than the ${line.quantity} returned`,
      });
  });
  refuseFields(errors, unprocessable);
  return lines.map((line) => ({
    ...line,
    damaged: damaged.find((entry) => entry.sku === line.sku)?.quantity ?? 0,
  }));
}
