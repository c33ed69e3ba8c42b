import { PromotionHold, PromotionHoldRequest } from '@bazaar/contracts/internal-api';
import { Promotion } from '@bazaar/contracts/shop-api';
import type { Pool } from '@bazaar/db/pool';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { requireRole, type TokenVerifier } from '@bazaar/service-kit/auth';
import { decodeCursor, keyShapes, pageLimit, toPage } from '@bazaar/service-kit/keyset-cursor';
import { Type } from 'typebox';
import { CatalogError } from '../domain/errors.js';
import { createPromotion, updatePromotion } from '../domain/manage-promotions.js';
import {
  commitPromotionUse,
  holdPromotionUse,
  releasePromotionUse,
} from '../domain/promotion-uses.js';
import { selectPromotion, selectPromotions } from '../store/promotion-store.js';

// Null first: the request validator would coerce a null to 0 (or '') for a type tried first.
const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([Type.Null(), schema]);

const promotionFields = {
  code: Type.String({
    pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$',
    description: 'letters, digits, - and _; kept upper-case',
  }),
  description: Type.String({ maxLength: 200 }),
  kind: Type.Enum(['percentage', 'fixed', 'free_shipping']),
  percent: nullable(Type.Integer({ minimum: 1, maximum: 100 })),
  amount: nullable(Type.Integer({ minimum: 1, maximum: 100_000_000, description: 'minor units' })),
  currency: nullable(Type.String({ pattern: '^[A-Z]{3}$' })),
  category: nullable(Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 64 })),
  minSubtotal: nullable(Type.Integer({ minimum: 1, maximum: 100_000_000 })),
  startsAt: nullable(Type.String({ format: 'date-time' })),
  endsAt: nullable(Type.String({ format: 'date-time' })),
  usageLimit: nullable(Type.Integer({ minimum: 1, maximum: 10_000_000 })),
  perCustomerLimit: nullable(Type.Integer({ minimum: 1, maximum: 1000 })),
  active: Type.Boolean(),
};

const PatchBody = Type.Partial(Type.Object(promotionFields), {
  additionalProperties: false,
  minProperties: 1,
});
const CreateBody = Type.Object(
  { ...PatchBody.properties, code: promotionFields.code, kind: promotionFields.kind },
  { additionalProperties: false },
);
const PromotionParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const OrderParams = Type.Object({ orderId: Type.String({ format: 'uuid' }) });

export function promotionRoutes(
  app: ServiceApp,
  deps: { db: Pool; verify: TokenVerifier; verifyService: TokenVerifier },
): void {
  const adminOnly = requireRole(deps.verify, 'admin');
  const serviceOnly = requireRole(deps.verifyService, 'service');

  app.get(
    '/api/admin/promotions',
    {
      onRequest: adminOnly,
      schema: {
        summary: 'Promotion codes, newest first, each with its uses',
        tags: ['admin'],
        querystring: Type.Object(
          {
            limit: pageLimit(50),
            cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(Promotion),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const after =
        cursor === undefined ? undefined : decodeCursor(cursor, { keyShape: keyShapes.timestamp });
      return toPage(await selectPromotions(deps.db, { after, limit: limit + 1 }), limit);
    },
  );

  app.get(
    '/api/admin/promotions/:id',
    {
      onRequest: adminOnly,
      schema: {
        summary: 'A promotion code with its uses',
        tags: ['admin'],
        params: PromotionParams,
        response: { 200: Promotion },
      },
    },
    async (request) => {
      const promotion = await selectPromotion(deps.db, { id: request.params.id });
      if (!promotion)
        throw new CatalogError('not_found', `There is no promotion ${request.params.id}`);
      return promotion;
    },
  );

  app.post(
    '/api/admin/promotions',
    {
      onRequest: adminOnly,
      schema: {
        summary:
          'Add a code: a percentage or an amount off the order or a category, or free shipping; with a minimum, dates and use limits',
        tags: ['admin'],
        body: CreateBody,
        response: { 201: Promotion },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const promotion = await createPromotion(deps.db, {
        code: body.code,
        kind: body.kind,
        description: body.description ?? '',
        percent: body.percent ?? null,
        amount: body.amount ?? null,
        currency: body.currency ?? null,
        category: body.category ?? null,
        minSubtotal: body.minSubtotal ?? null,
        startsAt: body.startsAt ?? null,
        endsAt: body.endsAt ?? null,
        usageLimit: body.usageLimit ?? null,
        perCustomerLimit: body.perCustomerLimit ?? null,
        active: body.active ?? true,
      });
      return reply.code(201).send(promotion);
    },
  );

  app.patch(
    '/api/admin/promotions/:id',
    {
      onRequest: adminOnly,
      schema: {
        summary: 'Change a code (end it, pause it with active: false, raise its limit…)',
        tags: ['admin'],
        params: PromotionParams,
        body: PatchBody,
        response: { 200: Promotion },
      },
    },
    async (request) => updatePromotion(deps.db, request.params.id, request.body),
  );

  app.post(
    '/internal/promotion-uses',
    {
      onRequest: serviceOnly,
      schema: {
        summary: "Hold one use of a code for an order's checkout, if its limits allow",
        tags: ['internal'],
        body: PromotionHoldRequest,
        response: { 200: PromotionHold },
      },
    },
    async (request) => holdPromotionUse(deps.db, request.body),
  );

  app.post(
    '/internal/promotion-uses/:orderId/commit',
    {
      onRequest: serviceOnly,
      schema: {
        summary: 'The order was placed: its use counts; false when its hold ran out meanwhile',
        tags: ['internal'],
        params: OrderParams,
        response: { 200: Type.Object({ committed: Type.Boolean() }) },
      },
    },
    async (request) => ({ committed: await commitPromotionUse(deps.db, request.params.orderId) }),
  );

  app.post(
    '/internal/promotion-uses/:orderId/release',
    {
      onRequest: serviceOnly,
      schema: {
        summary: 'The order failed or was cancelled: its use goes back to the code',
        tags: ['internal'],
        params: OrderParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await releasePromotionUse(deps.db, request.params.orderId);
      return reply.code(204).send(null);
    },
  );
}
