import { cartIdOf } from '@bazaar/contracts/cart-id';
import { Order, OrderDetail, OrderPage, OrderStatus } from '@bazaar/contracts/shop-api';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { type Principal, requireRole, type TokenVerifier } from '@bazaar/service-kit/auth';
import { DomainError } from '@bazaar/service-kit/errors';
import { decodeCursor, keyShapes, toPage } from '@bazaar/service-kit/keyset-cursor';
import { Type } from 'typebox';
import { type CheckoutDeps, type CheckoutRequest, checkout } from '../domain/checkout.js';
import type { CheckoutMetrics } from '../domain/checkout-metrics.js';
import { OrdersError } from '../domain/errors.js';
import { cancelOrder, shipOrder, visibleOrder } from '../domain/manage-orders.js';
import { tokenHash } from '../domain/order-saga.js';
import { returnsOpenUntil } from '../domain/returns.js';
import {
  type StoredOrder,
  selectHistory,
  selectOrderByToken,
  selectOrders,
} from '../store/order-store.js';
import { selectReturns } from '../store/return-store.js';
import { CheckoutBody, OrderParams, PageQuery } from './schemas.js';

/** The order as its owner sees it; the request fingerprint stays inside. */
function publicOrder({
  fingerprint: _fingerprint,
  userId: _userId,
  cartId: _cartId,
  failure: _failure,
  returnDays: _returnDays,
  shippedAt: _shippedAt,
  ...order
}: StoredOrder) {
  return order;
}

/**
 * Who buys: the signed-in shopper (their account's address), or a guest by the cart token, who
 * must give an address for the receipt.
 */
function buyerOf(
  principal: Principal | undefined,
  cartToken: string | undefined,
  email: string | undefined,
): CheckoutRequest['buyer'] {
  if (principal) {
    return {
      userId: principal.subject,
      email: principal.email ?? '',
      cartId: cartIdOf({ kind: 'user', userId: principal.subject }),
    };
  }
  if (!cartToken) {
    throw new OrdersError('unauthorized', 'Sign in, or check out as a guest with your cart token');
  }
  if (!email) {
    throw new OrdersError('invalid_request', 'A guest gives an email address for the receipt', {
      errors: [{ field: 'email', in: 'body', message: 'is required to check out as a guest' }],
    });
  }
  return { userId: null, email, cartId: cartIdOf({ kind: 'guest', token: cartToken }) };
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
  const detailOf = async (order: StoredOrder) => ({
    ...publicOrder(order),
    returns: await selectReturns(deps.db, { orderId: order.id }),
    returnsOpenUntil: returnsOpenUntil(order),
  });
  const pageOf = (cursor: string | undefined) =>
    cursor === undefined ? undefined : decodeCursor(cursor, { keyShape: keyShapes.timestamp });

  app.post(
    '/api/checkout',
    {
      // A shopper signed in buys their cart; a guest, the cart of the token, with an address.
      onRequest: async (request, reply) => {
        if (request.headers.authorization !== undefined) await shopper(request, reply);
      },
      schema: {
        summary:
          "Order the shopper's cart (signed in, or a guest's by X-Cart-Token with an email): 201 order, 402 declined, 409 out of stock",
        tags: ['orders'],
        headers: Type.Object({
          'idempotency-key': Type.String({
            minLength: 1,
            maxLength: 200,
            description: 'one per checkout attempt; a retry sends the same key',
          }),
          'x-cart-token': Type.Optional(
            Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: "a guest's cart token" }),
          ),
        }),
        body: CheckoutBody,
        response: {
          201: Type.Object({
            ...Order.properties,
            accessToken: Type.Optional(
              Type.String({
                description:
                  "the order's own link (GET /api/orders/by-token/{token}), given once: the receipt mails it too",
              }),
            ),
          }),
        },
      },
    },
    async (request, reply) => {
      const { email, ...body } = request.body;
      const { order, accessToken } = await deps.metrics.measure(() =>
        checkout(deps, {
          buyer: buyerOf(request.principal ?? undefined, request.headers['x-cart-token'], email),
          idempotencyKey: request.headers['idempotency-key'],
          ...body,
        }),
      );
      return reply
        .code(201)
        .send({ ...checkoutAnswer(order), ...(accessToken && { accessToken }) });
    },
  );

  app.get(
    '/api/orders/by-token/:token',
    {
      schema: {
        summary: 'An order by its own link, without signing in (the link in the receipt)',
        tags: ['orders'],
        params: Type.Object({ token: Type.String({ minLength: 43, maxLength: 43 }) }),
        response: { 200: OrderDetail },
      },
    },
    async (request) => {
      const order = await selectOrderByToken(deps.db, tokenHash(request.params.token));
      // Only an order that was placed has a link; anything else is no order at all.
      if (!order) throw new OrdersError('not_found', 'There is no order with this link');
      return detailOf(order);
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
            OrderDetail,
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
      return { ...(await detailOf(order)), history: await selectHistory(deps.db, order.id) };
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
