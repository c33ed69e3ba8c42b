import { randomUUID } from 'node:crypto';
import type { DomainError } from '@bazaar/service-kit/errors';
import { PaymentsError } from './errors.js';

/**
 * What a shopper pays with: a card as typed in (its number, expiry month and year, security code
 * and the name on it), or a token a payment form made of one.
 */
export type CardInput =
  | { number: string; expiry: { month: number; year: number }; cvc: string; name?: string }
  | { token: string };

export type CardOutcome =
  | { approved: true; providerRef: string; brand: string; last4: string }
  | { approved: false; providerRef: string; brand: string; last4: string; declineCode: string };

/** Tokens as a payment form would hand them over in test mode, and the cards they stand for. */
const testTokens: Record<string, string> = {
  tok_visa: '4242424242424242',
  tok_chargeDeclined: '4000000000000002',
  tok_chargeDeclinedInsufficientFunds: '4000000000009995',
};

/** The cards of the architecture page that do not simply succeed, with a processor's reasons. */
const declines: Record<string, string> = {
  '4000000000000002': 'card_declined',
  '4000000000009995': 'insufficient_funds',
  '4000000000000069': 'expired_card',
  '4000000000000127': 'incorrect_cvc',
};

/**
 * The built-in `test` provider, which behaves like a card processor's test mode: any number that
 * passes the Luhn check, with an expiry not yet passed and a security code of its brand's length,
 * is approved, except the decline cards above. Nothing leaves the process.
 */
export function authorizeWithTestProvider(card: CardInput, now = new Date()): CardOutcome {
  const number = cardNumberOf(card);
  if ('expiry' in card) checkCardDetails(card, brandOf(number), now);
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
  if ('token' in card) {
    const number = testTokens[card.token];
    if (!number) throw invalidCard('token', 'is not a token of this payment provider');
    return number;
  }
  const number = card.number.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(number) || !passesLuhn(number)) {
    throw invalidCard('number', 'is not a valid card number');
  }
  return number;
}

/** A card is good through the last day of its expiry month; American Express codes have 4 digits. */
function checkCardDetails(
  card: Extract<CardInput, { expiry: unknown }>,
  brand: string,
  now: Date,
): void {
  const { month, year } = card.expiry;
  if (year * 12 + month < now.getUTCFullYear() * 12 + now.getUTCMonth() + 1) {
    throw invalidCard('expiry', 'has passed');
  }
  const digits = brand === 'amex' ? 4 : 3;
  if (card.cvc.length !== digits) {
    throw invalidCard('cvc', `must be ${digits} digits on this card`);
  }
}

function invalidCard(field: 'number' | 'token' | 'expiry' | 'cvc', message: string): DomainError {
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
