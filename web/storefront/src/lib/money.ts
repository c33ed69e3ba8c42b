import type { Money } from '@bazaar/contracts/money';
import type { ShippingRate } from '@bazaar/contracts/shop-api';

// The API's type, from its contract (erased from the bundle: a type only).
export type { Money };

const formats = new Map<string, Intl.NumberFormat>();

function formatOf(currency: string, locale = 'en-US'): Intl.NumberFormat {
  const key = `${locale}:${currency}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formats.set(key, format);
  }
  return format;
}

/** How many digits a currency's minor unit has: 2 for cents, 0 for yen. */
const digitsOf = (currency: string) =>
  formatOf(currency).resolvedOptions().maximumFractionDigits ?? 2;

/** `{amount: 9499, currency: 'USD'}` → "$94.99": minor units, in the currency's own digits. */
export function formatMoney(money: Money, locale = 'en-US'): string {
  return formatOf(money.currency, locale).format(money.amount / 10 ** digitsOf(money.currency));
}

/** `{amount: 3450, currency: 'USD'}` → "34.50": what a price field shows. */
export function moneyText(money: Money): string {
  const digits = digitsOf(money.currency);
  return (money.amount / 10 ** digits).toFixed(digits);
}

/** "34.50" in USD → 3450: what a price field sends; not a number → NaN, for the API to refuse. */
export function minorUnits(text: string, currency: string): number {
  const units = text.trim() === '' ? Number.NaN : Number(text);
  return Math.round(units * 10 ** digitsOf(currency));
}

/** "£3.99, free from £50.00": an option's rate as people read it. */
export function rateText(rate: ShippingRate, currency: string): string {
  const money = (amount: number) => formatMoney({ amount, currency });
  switch (rate.kind) {
    case 'flat':
      return money(rate.amount);
    case 'free_over':
      return `${money(rate.amount)}, free from ${money(rate.threshold)}`;
    case 'bands':
      return rate.bands
        .map(
          (band) =>
            `${money(band.amount)} ${band.upTo === null ? 'above' : `to ${money(band.upTo)}`}`,
        )
        .join('; ');
  }
}
