/** Dates, countries and card brands as a shopper reads them, not as the API spells them. */

const countries = new Intl.DisplayNames(['en'], { type: 'region' });

/** "GB" → "United Kingdom"; a code the browser does not know stays as it is. */
export function countryName(code: string): string {
  try {
    return countries.of(code) ?? code;
  } catch {
    return code;
  }
}

/** "2026-12-06T10:00:00Z" → "6 Dec 2026". */
export function dayOf(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', { dateStyle: 'medium' });
}

const brands: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
};

/** "visa" → "Visa". */
export function brandName(brand: string): string {
  return brands[brand] ?? brand.charAt(0).toUpperCase() + brand.slice(1);
}

/** Few units left are worth saying; how many more there are is the shop's business. */
export function stockText(available: number): string {
  if (available <= 0) return 'Sold out';
  return available <= lowStockShown ? `Only ${available} left` : 'In stock';
}

/** At and below this, the page says how many are left. */
const lowStockShown = 5;
