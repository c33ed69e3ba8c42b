import type { QuoteRefusalCode } from '@bazaar/contracts/internal-api';
import { type Quote, quoteRefusalStatuses } from '@bazaar/contracts/internal-api';
import type { Problem } from '@bazaar/service-kit/errors';
import type { ServiceClient } from '@bazaar/service-kit/service-client';
import type { Quotes } from '../domain/ports.js';

/** Catalog's `/internal/quotes`: a refusal it names (a region, a country, a code) is an outcome. */
export function catalogQuotes(catalog: ServiceClient): Quotes {
  return async (request) => {
    const response = await catalog.call<Quote | Problem>({
      method: 'POST',
      path: '/internal/quotes',
      body: request,
      idempotent: true,
    });
    if (response.status === 200) return { quoted: true, quote: response.body as Quote };
    const problem = response.body as Problem;
    if (!(problem.code in quoteRefusalStatuses)) {
      throw new Error(`catalog answered ${response.status} for a quote: ${problem.code}`);
    }
    return {
      quoted: false,
      code: problem.code as QuoteRefusalCode,
      detail: problem.detail,
      errors: problem.errors ?? [],
    };
  };
}
