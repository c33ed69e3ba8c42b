import type { QuoteOutcome, QuoteRequest } from '@bazaar/contracts/internal-api';

/** Catalog's price of lines in a region, shipped and taxed; or why it cannot quote them. */
export type Quotes = (request: QuoteRequest) => Promise<QuoteOutcome>;
