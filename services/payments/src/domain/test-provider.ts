import { randomUUID } from 'node:crypto';
import type { DomainError } from '@bazaar/service-kit/errors';
import { PaymentsError } from './errors.js';

/** What a shopper pays with: a card number typed in, or a token a payment form made of one. */
export type CardInput = { number?: string | undefined; token?: string | undefined };

export type CardOutcome =
  | { approved: true; providerRef: string; brand: string; last4: string }
  | { approved: false; providerRef: string; brand: string; last4: string; declineCode: string };

/** Tokens as a payment form would hand them over in test mode, and the cards they stand for. */
const testTokens: Record<string, string> = {
  tok_visa: '4242424242424242',
  tok_chargeDeclined: '4000000000000002',
  tok_chargeDeclinedInsufficientFunds: '4000000000009995',
};

/** The cards of the architecture page that do not simply succeed. */
const declines: Record<string, string> = {
  '4000000000000002': 'card_declined',
  '4000000000009995': 'insufficient_funds',
};

/**
 * The built-in `test` provider, which behaves like a card processor's test mode: any number that
 * passes the Luhn check is approved, except the decline cards above. Nothing leaves the process.
 */
export function authorizeWithTestProvider(card: CardInput): CardOutcome {
  const number = cardNumberOf(card);
  const outcome = {
    providerRef: `test_${randomUUID()}`,
    brand: brandOf(number),
    last4: number.slice(-4),
  };
  const declineCode = declines[number];
  return declineCode
    ? { approved: false, ...outcome, declineCode }
    : { approved: true, ...outcome };
}

function cardNumberOf(card: CardInput): string {
  if (card.token !== undefined) {
    const number = testTokens[card.token];
    if (!number) throw invalidCard('token', 'is not a token of this payment provider');
    return number;
  }
  const number = (card.number ?? '').replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(number) || !passesLuhn(number)) {
    throw invalidCard('number', 'is not a valid card number');
  }
  return number;
}

function invalidCard(field: 'number' | 'token', message: string): DomainError {
  return new PaymentsError('invalid_card', `The card ${field} ${message}`, {
    errors: [{ field: `card.${field}`, in: 'body', message }],
  });
}

export function passesLuhn(number: string): boolean {
  let sum = 0;
  for (let index = 0; index < number.length; index += 1) {
    let digit = Number(number[number.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

function brandOf(number: string): string {
  if (number.startsWith('4')) return 'visa';
  if (/^5[1-5]/.test(number) || /^2[2-7]/.test(number)) return 'mastercard';
  if (/^3[47]/.test(number)) return 'amex';
  return 'card';
}
