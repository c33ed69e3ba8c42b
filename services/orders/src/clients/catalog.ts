import {
  type PromotionHold,
  type Quote,
  type QuoteRefusalCode,
  quoteRefusalStatuses,
} from '@bazaar/contracts/internal-api';
import type { ServiceClient } from '@bazaar/service-kit/service-client';
import type { Neighbours } from '../domain/ports.js';
import { body, type Problem } from './answers.js';

/** Catalog's internal API: what an order costs, and the uses of promotion codes. */
export function catalogClient(
  catalog: ServiceClient,
): Pick<Neighbours, 'quote' | 'holdPromotion' | 'commitPromotion' | 'releasePromotion'> {
  return {
    quote: async (request) => {
      const response = await catalog.call<Quote | Problem>({
        method: 'POST',
        path: '/internal/quotes',
        body: request,
        idempotent: true,
      });
      if (response.status === 200) return { quoted: true, quote: response.body as Quote };
      const problem = response.body as Problem;
      if (!(problem.code in quoteRefusalStatuses)) body(response, 'catalog', 200);
      return {
        quoted: false,
        code: problem.code as QuoteRefusalCode,
        detail: problem.detail,
        errors: Array.isArray(problem.errors) ? problem.errors : [],
      };
    },
    holdPromotion: async (orderId, code, customer) =>
      body(
        await catalog.call<PromotionHold>({
          method: 'POST',
          path: '/internal/promotion-uses',
          body: { orderId, code, customer, commit: true },
          idempotent: true,
        }),
        'catalog',
        200,
      ),
    commitPromotion: async (orderId) =>
      body(
        await catalog.call<{ committed: boolean }>({
          method: 'POST',
          path: `/internal/promotion-uses/${orderId}/commit`,
          idempotent: true,
        }),
        'catalog',
        200,
      ).committed,
    releasePromotion: async (orderId) => {
      body(
        await catalog.call({
          method: 'POST',
          path: `/internal/promotion-uses/${orderId}/release`,
          idempotent: true,
        }),
        'catalog',
        204,
      );
    },
  };
}
