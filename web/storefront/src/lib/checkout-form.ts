export type AddressForm = {
  name: string;
  line1: string;
  line2: string;
  city: string;
  postalCode: string;
  country: string;
  /** Where the country's tax depends on it (the US): the state's code. */
  state: string;
};

/** Countries whose tax depends on the state, which the address must then name. */
export const statesOf: Record<string, readonly string[]> = {
  US: [
    'AL',
    'AK',
    'AZ',
    'AR',
    'CA',
    'CO',
    'CT',
    'DE',
    'DC',
    'FL',
    'GA',
    'HI',
    'ID',
    'IL',
    'IN',
    'IA',
    'KS',
    'KY',
    'LA',
    'ME',
    'MD',
    'MA',
    'MI',
    'MN',
    'MS',
    'MO',
    'MT',
    'NE',
    'NV',
    'NH',
    'NJ',
    'NM',
    'NY',
    'NC',
    'ND',
    'OH',
    'OK',
    'OR',
    'PA',
    'RI',
    'SC',
    'SD',
    'TN',
    'TX',
    'UT',
    'VT',
    'VA',
    'WA',
    'WV',
    'WI',
    'WY',
  ],
};

/** Checks the address as the API will, so a shopper learns of a mistake before submitting. */
export function addressProblems(form: AddressForm): Partial<Record<keyof AddressForm, string>> {
  const problems: Partial<Record<keyof AddressForm, string>> = {};
  if (!form.name.trim()) problems.name = 'Enter the name to deliver to.';
  if (!form.line1.trim()) problems.line1 = 'Enter the street and number.';
  if (!form.city.trim()) problems.city = 'Enter the city.';
  if (!form.postalCode.trim()) problems.postalCode = 'Enter the postal code.';
  if (!/^[A-Z]{2}$/.test(form.country)) problems.country = 'Choose a country.';
  if (statesOf[form.country] && !statesOf[form.country]?.includes(form.state)) {
    problems.state = 'Choose the state.';
  }
  return problems;
}

/** Digits only, as typed with spaces or dashes. */
export function cardDigits(input: string): string {
  return input.replace(/[\s-]/g, '');
}

export function passesLuhn(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** The card as the shopper types it. */
export type CardForm = { number: string; expiry: string; cvc: string; name: string };

/** The brand of a card number by its first digits, as the card networks assign them. */
export function cardBrandOf(digits: string): 'visa' | 'mastercard' | 'amex' | undefined {
  if (/^4/.test(digits)) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(digits)) return 'mastercard';
  if (/^3[47]/.test(digits)) return 'amex';
  return undefined;
}

/** `MM/YY` from what was typed: "0734", "07/34" and "7/34" are all July 2034. */
export function expiryText(typed: string): string | undefined {
  const match = /^\s*(\d{1,2})\s*\/?\s*(\d{2})\s*$/.exec(typed);
  if (!match) return undefined;
  const month = Number(match[1]);
  if (month < 1 || month > 12) return undefined;
  return `${String(month).padStart(2, '0')}/${match[2]}`;
}

/** Checks the card as the payment provider will, so a mistake is shown before paying. */
export function cardProblems(
  card: CardForm,
  now = new Date(),
): Partial<Record<keyof CardForm, string>> {
  const problems: Partial<Record<keyof CardForm, string>> = {};
  const digits = cardDigits(card.number);
  if (!card.name.trim()) problems.name = 'Enter the name as it is on the card.';
  if (!passesLuhn(digits)) problems.number = 'Enter the card number as it is on the card.';
  const expiry = expiryText(card.expiry);
  if (!expiry) {
    problems.expiry = 'Enter the expiry date as MM/YY.';
  } else {
    const [month = 0, year = 0] = expiry.split('/').map(Number);
    if (
      2000 + year < now.getFullYear() ||
      (2000 + year === now.getFullYear() && month < now.getMonth() + 1)
    ) {
      problems.expiry = 'This card has expired; use another.';
    }
  }
  const codeLength = cardBrandOf(digits) === 'amex' ? 4 : 3;
  if (!/^\d+$/.test(card.cvc.trim()) || card.cvc.trim().length !== codeLength) {
    problems.cvc = `Enter the ${codeLength} digits ${codeLength === 4 ? 'on the front' : 'on the back'} of the card.`;
  }
  return problems;
}

/** The test provider's cards, shown on the checkout page of a shop running on a developer's machine. */
export const testCards = [
  { number: '4242 4242 4242 4242', outcome: 'succeeds' },
  { number: '4000 0000 0000 0002', outcome: 'is declined' },
  { number: '4000 0000 0000 9995', outcome: 'has insufficient funds' },
  { number: '4000 0000 0000 0069', outcome: 'is declined as expired' },
  { number: '4000 0000 0000 0127', outcome: 'is declined for its security code' },
] as const;
