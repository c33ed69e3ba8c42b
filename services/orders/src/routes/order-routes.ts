import { Order, OrderPage, OrderStatus } from '@bazaar/contracts/shop-api';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { requireRole, type TokenVerifier } from '@bazaar/service-kit/auth';
import { DomainError } from '@bazaar/service-kit/errors';
import { decodeCursor, keyShapes, toPage } from '@bazaar/service-kit/keyset-cursor';
import { Type } from 'typebox';
import { type CheckoutDeps, checkout } from '../domain/checkout.js';
import type { CheckoutMetrics } from '../domain/checkout-metrics.js';
import { OrdersError } from '../domain/errors.js';
import { cancelOrder, shipOrder, visibleOrder } from '../domain/manage-orders.js';
import { type StoredOrder, selectHistory, selectOrders } from '../store/order-store.js';
import { CheckoutBody, OrderParams, PageQuery } from './schemas.js';

/** The order as its owner sees it; the request fingerprint stays inside. */
function publicOrder({
  fingerprint: _fingerprint,
  userId: _userId,
  failure: _failure,
  ...order
}: StoredOrder) {
  return order;
}

/**
 * What a checkout answers, from the order's final status alone, so that every repeat of a request
 * gets the first answer: 201 with the order, or the problem that stopped it.
 */
function checkoutAnswer(order: StoredOrder) {
  if (order.status === 'pending') {
    throw new OrdersError('checkout_in_progress', 'This checkout is still being processed', {
      orderId: order.id,
      retryAfterSeconds: 2,
    });
  }
  if (order.status === 'rejected' || order.status === 'payment_failed') {
    const { code, detail, ...details } = order.failure ?? { code: 'conflict', detail: 'Failed' };
    // The problem recorded when the order failed, often a neighbour's (inventory's out_of_stock,
    // payments' card_declined): its code is passed on as it was.
    throw new DomainError(code, detail, { ...details, orderId: order.id });
  }
  return publicOrder(order);
}

export function orderRoutes(
  app: ServiceApp,
  deps: CheckoutDeps & {
    verify: TokenVerifier;
    metrics: CheckoutMetrics;
  },
): void {
  const shopper = requireRole(deps.verify, 'customer', 'admin');
  const admin = requireRole(deps.verify, 'admin');
  const pageOf = (cursor: string | undefined) =>
    cursor === undefined ? undefined : decodeCursor(cursor, { keyShape: keyShapes.timestamp });

  app.post(
    '/api/checkout',
    {
      onRequest: shopper,
      schema: {
        summary: "Order the signed-in shopper's cart: 201 order, 402 declined, 409 out of stock",
        tags: ['orders'],
        headers: Type.Object({
          'idempotency-key': Type.String({
            minLength: 1,
            maxLength: 200,
            description: 'one per checkout attempt; a retry sends the same key',
          }),
        }),
        body: CheckoutBody,
        response: { 201: Order },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (!principal) throw new Error('checkout runs after authentication');
      const order = await deps.metrics.measure(() =>
        checkout(deps, {
          user: { id: principal.subject, email: principal.email ?? '' },
          idempotencyKey: request.headers['idempotency-key'],
          ...request.body,
        }),
      );
      return reply.code(201).send(checkoutAnswer(order));
    },
  );

  app.get(
    '/api/orders',
    {
      onRequest: shopper,
      schema: {
        summary: "The signed-in shopper's orders, newest first",
        tags: ['orders'],
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: OrderPage },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const rows = await selectOrders(deps.db, {
        userId: request.principal?.subject,
        after: pageOf(cursor),
        limit: limit + 1,
      });
      const page = toPage(rows, limit);
      return { ...page, items: page.items.map(publicOrder) };
    },
  );

  app.get(
    '/api/orders/:id',
    {
      onRequest: shopper,
      schema: {
        summary: 'One order with its history (its owner and admins only; others get 404)',
        tags: ['orders'],
        params: OrderParams,
        response: {
          200: Type.Intersect([
            Order,
            Type.Object({
              history: Type.Array(
                Type.Object({
                  at: Type.String(),
                  entry: Type.String(),
                  detail: Type.Record(Type.String(), Type.Unknown()),
                }),
              ),
            }),
          ]),
        },
      },
    },
    async (request) => {
      const principal = request.principal;
      if (!principal) throw new Error('runs after authentication');
      const order = await visibleOrder(deps.db, principal, request.params.id);
      return { ...publicOrder(order), history: await selectHistory(deps.db, order.id) };
    },
  );

  app.post(
    '/api/orders/:id/cancel',
    {
      onRequest: shopper,
      schema: {
        summary: 'Cancel a confirmed order: refund and stock returned (409 once shipped)',
        tags: ['orders'],
        params: OrderParams,
        response: { 200: Order },
      },
    },
    async (request) => {
      const principal = request.principal;
      if (!principal) throw new Error('runs after authentication');
      const reason =
        principal.role === 'admin' ? 'cancelled by the shop' : 'cancelled by the customer';
      return publicOrder(await cancelOrder(deps, principal, request.params.id, reason));
    },
  );

  app.get(
    '/api/admin/orders',
    {
      onRequest: admin,
      schema: {
        summary: 'Every order, newest first, optionally of one status',
        tags: ['admin'],
        querystring: Type.Object(
          {
            status: Type.Optional(OrderStatus),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: OrderPage },
      },
    },
    async (request) => {
      const { limit, cursor, status } = request.query;
      const rows = await selectOrders(deps.db, { status, after: pageOf(cursor), limit: limit + 1 });
      const page = toPage(rows, limit);
      return { ...page, items: page.items.map(publicOrder) };
    },
  );

  app.post(
    '/api/admin/orders/:id/ship',
    {
      onRequest: admin,
      schema: {
        summary: 'Mark a confirmed order shipped, with its tracking',
        tags: ['admin'],
        params: OrderParams,
        body: Type.Object(
          {
            carrier: Type.String({ minLength: 1, maxLength: 50 }),
            trackingNumber: Type.String({ minLength: 1, maxLength: 100 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Order },
      },
    },
    async (request) => publicOrder(await shipOrder(deps.db, request.params.id, request.body)),
  );
}
