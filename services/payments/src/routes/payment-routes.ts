import type { Pool } from '@bazaar/db/pool';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { requireRole, type TokenVerifier } from '@bazaar/service-kit/auth';
import type { DomainError } from '@bazaar/service-kit/errors';
import { Counter } from 'prom-client';
import { Type } from 'typebox';
import { PaymentsError } from '../domain/errors.js';
import {
  authorizePayment,
  closeOrderPayment,
  type PaymentAction,
  performPaymentAction,
  refundPart,
} from '../domain/manage-payments.js';
import type { Payment as PaymentRecord } from '../domain/payment.js';
import { OrderParams, Payment } from './schemas.js';

/** What a shopper is told of each decline the provider gives a reason for. */
const declineDetails: Record<string, string> = {
  insufficient_funds: 'The card has insufficient funds',
  expired_card: 'The card has expired',
  incorrect_cvc: "The card's security code is incorrect",
};

/** A declined card is a 402 whose details say why, the same on every repeat of the request. */
function declined(payment: PaymentRecord): DomainError {
  const code =
    payment.declineCode === 'insufficient_funds' ? 'insufficient_funds' : 'card_declined';
  return new PaymentsError(
    code,
    declineDetails[payment.declineCode ?? ''] ?? 'The card was declined',
    { paymentId: payment.paymentId, declineCode: payment.declineCode },
  );
}

/** Called by orders with a service token; every call is idempotent by order id. */
export function paymentRoutes(
  app: ServiceApp,
  deps: { db: Pool; verifyService: TokenVerifier },
): void {
  const serviceOnly = requireRole(deps.verifyService, 'service');
  const authorizations = new Counter({
    name: 'bazaar_payment_authorizations_total',
    help: 'Cards the provider was asked to authorize (repeats not counted), by result and decline reason.',
    labelNames: ['result', 'reason'],
    registers: [app.metrics],
  });

  app.post(
    '/internal/payments',
    {
      onRequest: serviceOnly,
      schema: {
        summary:
          'Authorize the amount of an order on a card, and capture it at once with `capture` (402 when declined)',
        tags: ['internal'],
        body: Type.Object(
          {
            orderId: Type.String({ format: 'uuid' }),
            amount: Type.Integer({ minimum: 1, maximum: 100_000_000, description: 'minor units' }),
            currency: Type.String({ pattern: '^[A-Z]{3}$' }),
            card: Type.Union([
              Type.Object(
                {
                  number: Type.String({ minLength: 12, maxLength: 23 }),
                  expiry: Type.Object(
                    {
                      month: Type.Integer({ minimum: 1, maximum: 12 }),
                      year: Type.Integer({ minimum: 2000, maximum: 2099 }),
                    },
                    { additionalProperties: false },
                  ),
                  cvc: Type.String({ pattern: '^[0-9]{3,4}$' }),
                  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
                },
                { additionalProperties: false },
              ),
              Type.Object(
                { token: Type.String({ minLength: 1, maxLength: 100 }) },
                { additionalProperties: false },
              ),
            ]),
            capture: Type.Optional(
              Type.Boolean({
                description:
                  'Take the money with the authorization; otherwise it is held until captured',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Payment, 201: Payment },
      },
    },
    async (request, reply) => {
      const { payment, created } = await authorizePayment(deps.db, request.body);
      if (created) {
        authorizations.inc({
          result: payment.status === 'declined' ? 'declined' : 'approved',
          reason: payment.declineCode ?? 'none',
        });
      }
      if (payment.status === 'declined') throw declined(payment);
      return reply.code(created ? 201 : 200).send(payment);
    },
  );

  app.post(
    '/internal/payments/:orderId/close',
    {
      onRequest: serviceOnly,
      schema: {
        summary:
          'Take no payment for the order from now on; answers the one it already has (204 when none)',
        tags: ['internal'],
        params: OrderParams,
        response: { 200: Payment, 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const payment = await closeOrderPayment(deps.db, request.params.orderId);
      return payment ? payment : reply.code(204).send(null);
    },
  );

  const summaries: Record<PaymentAction, string> = {
    capture: 'Take the authorized amount (an order confirmed)',
    void: 'Release the authorization (an order that failed)',
    refund: 'Give back all the money left (a cancelled order); voids a payment only authorized',
  };
  for (const action of ['capture', 'void', 'refund'] as const) {
    app.post(
      `/internal/payments/:orderId/${action}`,
      {
        onRequest: serviceOnly,
        schema: {
          summary: summaries[action],
          tags: ['internal'],
          params: OrderParams,
          response: { 200: Payment },
        },
      },
      async (request) => performPaymentAction(deps.db, request.params.orderId, action),
    );
  }

  app.post(
    '/internal/payments/:orderId/refunds',
    {
      onRequest: serviceOnly,
      schema: {
        summary:
          'Give back part of a captured payment (a return): idempotent by refundId; never more than is left, and `amount` says what went back',
        tags: ['internal'],
        params: OrderParams,
        body: Type.Object(
          {
            refundId: Type.String({ format: 'uuid' }),
            amount: Type.Integer({ minimum: 1, maximum: 100_000_000, description: 'minor units' }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            refundId: Type.String({ format: 'uuid' }),
            amount: Type.Integer({ description: 'minor units given back by this refund' }),
            payment: Payment,
          }),
        },
      },
    },
    async (request) => refundPart(deps.db, request.params.orderId, request.body),
  );
}
