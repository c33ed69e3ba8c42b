import type { Money } from '@bazaar/contracts/money';

// The API's type, from its contract (erased from the bundle: a type only).
export type { Money };

const formats = new Map<string, Intl.NumberFormat>();

/** `{amount: 9499, currency: 'USD'}` → "$94.99": minor units, in the currency's own digits. */
export function formatMoney(money: Money, locale = 'en-US'): string {
  const key = `${locale}:${money.currency}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency });
    formats.set(key, format);
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(money.amount / 10 ** digits);
}
