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

/** The test provider's cards, shown on the checkout page of a shop running on a developer's machine. */
export const testCards = [
  { number: '4242 4242 4242 4242', outcome: 'succeeds' },
  { number: '4000 0000 0000 0002', outcome: 'is declined' },
  { number: '4000 0000 0000 9995', outcome: 'has insufficient funds' },
] as const;
