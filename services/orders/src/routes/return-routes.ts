import { OrderReturn, ReturnLines, ReturnReason } from '@bazaar/contracts/shop-api';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { requireRole, type TokenVerifier } from '@bazaar/service-kit/auth';
import { Type } from 'typebox';
import { OrdersError } from '../domain/errors.js';
import { visibleOrder } from '../domain/manage-orders.js';
import { tokenHash } from '../domain/order-saga.js';
import {
  cancelLines,
  decideReturn,
  type ReturnDeps,
  type ReturnStatus,
  receiveReturn,
  requestReturn,
} from '../domain/returns.js';
import { selectOrderByToken } from '../store/order-store.js';
import { selectReturns } from '../store/return-store.js';
import { OrderParams } from './schemas.js';

const ReturnBody = Type.Object(
  { lines: ReturnLines, reason: ReturnReason },
  { additionalProperties: false },
);
const ReturnParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const OrderToken = Type.Object({ token: Type.String({ minLength: 43, maxLength: 43 }) });

/** Returns of shipped orders and cancellations of lines not yet shipped (decision 0030). */
export function returnRoutes(app: ServiceApp, deps: ReturnDeps & { verify: TokenVerifier }): void {
  const shopper = requireRole(deps.verify, 'customer', 'admin');
  const admin = requireRole(deps.verify, 'admin');

  app.post(
    '/api/orders/:id/returns',
    {
      onRequest: shopper,
      schema: {
        summary:
          'Ask to return units of a shipped order, within its return window (its owner, or an admin)',
        tags: ['orders'],
        params: OrderParams,
        body: ReturnBody,
        response: { 201: OrderReturn },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (!principal) throw new Error('runs after authentication');
      const order = await visibleOrder(deps.db, principal, request.params.id);
      return reply.code(201).send(await requestReturn(deps.db, order.id, request.body));
    },
  );

  app.post(
    '/api/orders/by-token/:token/returns',
    {
      schema: {
        summary: "Ask to return units of a shipped order by the order's own link (a guest)",
        tags: ['orders'],
        params: OrderToken,
        body: ReturnBody,
        response: { 201: OrderReturn },
      },
    },
    async (request, reply) => {
      const order = await selectOrderByToken(deps.db, tokenHash(request.params.token));
      if (!order) throw new OrdersError('not_found', 'There is no order with this link');
      return reply.code(201).send(await requestReturn(deps.db, order.id, request.body));
    },
  );

  app.post(
    '/api/orders/:id/cancel-lines',
    {
      onRequest: shopper,
      schema: {
        summary:
          'Cancel some units of a confirmed order that has not shipped: their share refunded, their stock put back',
        tags: ['orders'],
        params: OrderParams,
        body: Type.Object({ lines: ReturnLines }, { additionalProperties: false }),
        response: { 201: OrderReturn },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (!principal) throw new Error('runs after authentication');
      const order = await visibleOrder(deps.db, principal, request.params.id);
      const reason =
        principal.role === 'admin' ? 'cancelled by the shop' : 'cancelled by the customer';
      return reply
        .code(201)
        .send(await cancelLines(deps, order.id, { lines: request.body.lines, reason }));
    },
  );

  app.get(
    '/api/admin/returns',
    {
      onRequest: admin,
      schema: {
        summary: 'The latest 100 returns and cancellations, newest first, optionally of one status',
        tags: ['admin'],
        querystring: Type.Object(
          { status: Type.Optional(OrderReturn.properties.status) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(OrderReturn) }) },
      },
    },
    async (request) => ({
      items: await selectReturns(deps.db, {
        ...(request.query.status && { status: request.query.status as ReturnStatus }),
        limit: 100,
      }),
    }),
  );

  app.post(
    '/api/admin/returns/:id/approve',
    {
      onRequest: admin,
      schema: {
        summary: 'Approve a requested return: the parcel may come',
        tags: ['admin'],
        params: ReturnParams,
        response: { 200: OrderReturn },
      },
    },
    async (request) => decideReturn(deps.db, request.params.id, { approve: true }),
  );

  app.post(
    '/api/admin/returns/:id/reject',
    {
      onRequest: admin,
      schema: {
        summary: 'Reject a requested return, telling the shopper why',
        tags: ['admin'],
        params: ReturnParams,
        body: Type.Object(
          { note: Type.String({ minLength: 1, maxLength: 1000 }) },
          { additionalProperties: false },
        ),
        response: { 200: OrderReturn },
      },
    },
    async (request) =>
      decideReturn(deps.db, request.params.id, { approve: false, note: request.body.note }),
  );

  app.post(
    '/api/admin/returns/:id/receive',
    {
      onRequest: admin,
      schema: {
        summary:
          'The parcel arrived: its units received (damaged ones kept off the shelf), the refund decided and paid',
        tags: ['admin'],
        params: ReturnParams,
        body: Type.Object(
          {
            damaged: Type.Optional(
              Type.Array(ReturnLines.items, {
                maxItems: 200,
                description: 'of the units received, those that cannot be sold again',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: OrderReturn },
      },
    },
    async (request) => receiveReturn(deps, request.params.id, request.body.damaged ?? []),
  );
}
