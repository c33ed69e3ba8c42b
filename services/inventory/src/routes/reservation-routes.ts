import { Sku } from '@bazaar/contracts/internal-api';
import type { Pool } from '@bazaar/db/pool';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { requireRole, type TokenVerifier } from '@bazaar/service-kit/auth';
import { DomainError } from '@bazaar/service-kit/errors';
import { Counter } from 'prom-client';
import { Type } from 'typebox';
import { InventoryError } from '../domain/errors.js';
import { reserveStock } from '../domain/reserve-stock.js';
import {
  commitReservation,
  receiveReturn,
  releaseReservation,
} from '../domain/settle-reservation.js';
import { Reservation } from './schemas.js';

const OrderParams = Type.Object({ orderId: Type.String({ format: 'uuid' }) });

/** Called by orders with a service token; every call is safe to repeat. */
export function reservationRoutes(
  app: ServiceApp,
  deps: { db: Pool; verifyService: TokenVerifier },
): void {
  const serviceOnly = requireRole(deps.verifyService, 'service');
  const reservations = new Counter({
    name: 'bazaar_reservations_total',
    help: 'Reservation requests, by outcome: held, committed (taken at once), repeated, or the refusal (out_of_stock, unknown_sku).',
    labelNames: ['outcome'],
    registers: [app.metrics],
  });

  app.post(
    '/internal/reservations',
    {
      onRequest: serviceOnly,
      schema: {
        summary:
          'Hold stock for every line of an order, or for none (409 naming the short SKUs); with `commit`, take it off the shelf at once',
        tags: ['internal'],
        body: Type.Object(
          {
            orderId: Type.String({ format: 'uuid' }),
            lines: Type.Array(
              Type.Object(
                { sku: Sku, quantity: Type.Integer({ minimum: 1, maximum: 1000 }) },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 100 },
            ),
            ttlSeconds: Type.Integer({ minimum: 10, maximum: 86_400, default: 900 }),
            commit: Type.Optional(
              Type.Boolean({
                description:
                  'The stock leaves the shelf now, as a commit would, and no hold runs out; a release puts it back',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Reservation, 201: Reservation },
      },
    },
    async (request, reply) => {
      try {
        const { reservation, created } = await reserveStock(deps.db, request.body);
        reservations.inc({ outcome: created ? reservation.status : 'repeated' });
        return reply.code(created ? 201 : 200).send(reservation);
      } catch (error) {
        if (error instanceof DomainError) reservations.inc({ outcome: error.code });
        throw error;
      }
    },
  );

  app.post(
    '/internal/reservations/:orderId/commit',
    {
      onRequest: serviceOnly,
      schema: {
        summary: 'The order was paid: its held stock leaves the shelf',
        tags: ['internal'],
        params: OrderParams,
        response: { 200: Reservation },
      },
    },
    async (request) => commitReservation(deps.db, request.params.orderId),
  );

  app.post(
    '/internal/reservations/:orderId/release',
    {
      onRequest: serviceOnly,
      schema: {
        summary: 'Give the stock back: held stock is freed, committed stock returns to the shelf',
        tags: ['internal'],
        params: OrderParams,
        response: { 200: Reservation },
      },
    },
    async (request) => releaseReservation(deps.db, request.params.orderId),
  );

  app.post(
    '/internal/reservations/:orderId/returns',
    {
      onRequest: serviceOnly,
      schema: {
        summary:
          'Units of a sold order came back: sellable ones to the shelf, damaged ones counted apart (once per returnId)',
        tags: ['internal'],
        params: OrderParams,
        body: Type.Object(
          {
            returnId: Type.String({ format: 'uuid' }),
            lines: Type.Array(
              Type.Object(
                {
                  sku: Sku,
                  quantity: Type.Integer({ minimum: 1, maximum: 10_000 }),
                  damaged: Type.Integer({ minimum: 0, maximum: 10_000 }),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 200 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const { returnId, lines } = request.body;
      lines.forEach((line, index) => {
        if (line.damaged > line.quantity) {
          throw new InventoryError('unprocessable', 'More units damaged than came back', {
            errors: [
              { field: `lines.${index}.damaged`, in: 'body', message: 'is more than quantity' },
            ],
          });
        }
      });
      await receiveReturn(deps.db, request.params.orderId, { returnId, lines });
      return reply.code(204).send(null);
    },
  );
}
