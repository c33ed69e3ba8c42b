import type { Money } from './money.js';

const formats = new Map<string, Intl.NumberFormat>();

function formatOf(currency: string, locale: string): Intl.NumberFormat {
  const key = `${locale}:${currency}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formats.set(key, format);
  }
  return format;
}

/** How many digits a currency's minor unit has: 2 for cents, 0 for yen. */
export function currencyDigits(currency: string): number {
  return formatOf(currency, 'en').resolvedOptions().maximumFractionDigits ?? 2;
}

/** `{amount: 9499, currency: 'USD'}` → "$94.99": minor units, in the currency's own digits. */
export function formatMoney(money: Money, locale = 'en-US'): string {
  return formatOf(money.currency, locale).format(
    money.amount / 10 ** currencyDigits(money.currency),
  );
}

/**
 * `{amount: 1999, currency: 'USD'}` → "19.99", `{amount: 500, currency: 'JPY'}` → "500": the
 * amount in major units, written from the integer exactly (never through a float).
 */
export function majorUnits(money: Money): string {
  const digits = currencyDigits(money.currency);
  if (digits === 0) return String(money.amount);
  const sign = money.amount < 0 ? '-' : '';
  const units = String(Math.abs(money.amount)).padStart(digits + 1, '0');
  return `${sign}${units.slice(0, -digits)}.${units.slice(-digits)}`;
}
