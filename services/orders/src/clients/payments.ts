import type { ServiceClient } from '@bazaar/service-kit/service-client';
import type { Authorization, Neighbours, PaymentState } from '../domain/ports.js';
import { body, type Problem } from './answers.js';

/** Why payments refused an authorization, by its problem's code. */
const refusals: Record<string, Extract<Authorization, { authorized: false }>['reason']> = {
  card_declined: 'card_declined',
  insufficient_funds: 'insufficient_funds',
  invalid_card: 'invalid_card',
  order_closed: 'closed',
};

const cardDetails = ['number', 'expiry', 'cvc', 'token'] as const;

/** Which detail of the card payments' `invalid_card` names (`card.expiry`), and what it says. */
function invalidDetail(problem: Problem): Extract<Authorization, { authorized: false }>['invalid'] {
  const [first] = Array.isArray(problem.errors) ? problem.errors : [];
  const detail = cardDetails.find((name) => first?.field === `card.${name}`);
  return detail ? { detail, message: String(first.message ?? 'is not valid') } : undefined;
}

/**
 * Payments' internal API: a card charged (authorized and captured at once), a capture, void or
 * refund; or none taken.
 */
export function paymentsClient(
  payments: ServiceClient,
): Pick<
  Neighbours,
  'authorize' | 'closePayment' | 'capturePayment' | 'voidPayment' | 'refundPayment' | 'refundPart'
> {
  const act = (action: 'capture' | 'void' | 'refund') => async (orderId: string) => {
    body(
      await payments.call({
        method: 'POST',
        path: `/internal/payments/${orderId}/${action}`,
        idempotent: true,
      }),
      'payments',
      200,
    );
  };
  return {
    authorize: async (orderId, amount, card) => {
      const response = await payments.call<PaymentState | Problem>({
        method: 'POST',
        path: '/internal/payments',
        body: { orderId, amount: amount.amount, currency: amount.currency, card, capture: true },
        idempotent: true,
      });
      const problem = response.body as Problem;
      const reason = [400, 402, 409].includes(response.status) ? refusals[problem.code] : undefined;
      if (reason) {
        const invalid = invalidDetail(problem);
        return {
          authorized: false,
          reason,
          detail: problem.detail,
          ...(typeof problem.declineCode === 'string' ? { declineCode: problem.declineCode } : {}),
          ...(invalid ? { invalid } : {}),
        };
      }
      return {
        authorized: true,
        payment: body(response, 'payments', 200, 201) as PaymentState,
      };
    },
    closePayment: async (orderId) => {
      const response = await payments.call<PaymentState>({
        method: 'POST',
        path: `/internal/payments/${orderId}/close`,
        idempotent: true,
      });
      if (response.status === 204) return undefined;
      return body(response, 'payments', 200);
    },
    capturePayment: act('capture'),
    voidPayment: act('void'),
    refundPayment: act('refund'),
    refundPart: async (orderId, refundId, amount) => {
      const response = await payments.call<{ amount: number }>({
        method: 'POST',
        path: `/internal/payments/${orderId}/refunds`,
        body: { refundId, amount },
        idempotent: true,
      });
      return body(response, 'payments', 200).amount;
    },
  };
}
