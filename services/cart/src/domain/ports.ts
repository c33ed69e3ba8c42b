import type { Quote, QuoteRefusalCode, QuoteRequest } from '@bazaar/contracts/internal-api';
import type { FieldError } from '@bazaar/service-kit/errors';

/** Catalog's price of lines in a region, shipped and taxed; or why it cannot quote them. */
export type Quotes = (request: QuoteRequest) => Promise<QuoteOutcome>;

export type QuoteOutcome =
  | { quoted: true; quote: Quote }
  | { quoted: false; code: QuoteRefusalCode; detail: string; errors: FieldError[] };
