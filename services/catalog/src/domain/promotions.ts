import type { Money } from '@bazaar/contracts/money';
import { formatMoney } from '@bazaar/contracts/money-format';
import { CatalogError } from './errors.js';
import type { Discount } from './totals.js';

export type Promotion = {
  id: string;
  code: string;
  description: string;
  kind: 'percentage' | 'fixed' | 'free_shipping';
  /** For `percentage`: 1 to 100. */
  percent: number | null;
  /** For `fixed`: minor units of `currency`. */
  amount: number | null;
  /** The currency of `amount` and `minSubtotal`; the code works only in regions that sell in it. */
  currency: string | null;
  /** Off the lines of this category (or its sub-categories) only; null: the whole order. */
  category: string | null;
  minSubtotal: number | null;
  startsAt: string;
  endsAt: string | null;
  usageLimit: number | null;
  perCustomerLimit: number | null;
  active: boolean;
  /** Uses held by checkouts in progress or committed by orders. */
  uses: number;
  createdAt: string;
};

/** Codes are matched without regard to case or surrounding spaces. */
export const normalCode = (code: string) => code.trim().toUpperCase();

/** What a code takes off, for the totals. */
export function discountOf(promotion: Promotion): Discount {
  switch (promotion.kind) {
    case 'percentage':
      return { kind: 'percentage', percent: promotion.percent ?? 0, category: promotion.category };
    case 'fixed':
      return { kind: 'fixed', amount: promotion.amount ?? 0, category: promotion.category };
    case 'free_shipping':
      return { kind: 'free_shipping' };
  }
}

/**
 * Throws, naming the `code` field and saying why, when `promotion` cannot apply to a cart worth
 * `subtotal` in `currency`, holding lines of `categories`, for a customer who has used it `used`
 * times. The use limits are checked again, atomically, when a checkout holds a use.
 */
export function assertApplies(
  promotion: Promotion | undefined,
  cart: {
    code: string;
    now: Date;
    currency: string;
    subtotal: number;
    categories: ReadonlyArray<readonly string[]>;
    used: number;
  },
): asserts promotion is Promotion {
  const refuse = (code: Parameters<typeof promotionError>[0], detail: string): never => {
    throw promotionError(code, detail);
  };
  if (!promotion?.active) {
    return refuse('promotion_unknown', `There is no code ${normalCode(cart.code)}`);
  }
  if (Date.parse(promotion.startsAt) > cart.now.getTime()) {
    return refuse(
      'promotion_not_started',
      `${promotion.code} starts on ${day(promotion.startsAt)}`,
    );
  }
  if (promotion.endsAt && Date.parse(promotion.endsAt) <= cart.now.getTime()) {
    return refuse('promotion_expired', `${promotion.code} ended on ${day(promotion.endsAt)}`);
  }
  if (promotion.currency && promotion.currency !== cart.currency) {
    return refuse(
      'promotion_not_in_region',
      `${promotion.code} is for orders in ${promotion.currency}, not ${cart.currency}`,
    );
  }
  if (promotion.minSubtotal !== null && cart.subtotal < promotion.minSubtotal) {
    const minimum = shown({ amount: promotion.minSubtotal, currency: cart.currency });
    return refuse('promotion_below_minimum', `Spend ${minimum} or more to use ${promotion.code}`);
  }
  const { category } = promotion;
  if (category !== null && !cart.categories.some((line) => line.includes(category))) {
    return refuse('promotion_not_applicable', `${promotion.code} is for ${category} only`);
  }
  if (promotion.usageLimit !== null && promotion.uses >= promotion.usageLimit) {
    return refuse('promotion_used_up', `${promotion.code} has been used as often as it may be`);
  }
  if (promotion.perCustomerLimit !== null && cart.used >= promotion.perCustomerLimit) {
    return refuse(
      'promotion_customer_limit',
      `You have used ${promotion.code} as often as you may`,
    );
  }
}

export function promotionError(
  code:
    | 'promotion_unknown'
    | 'promotion_not_started'
    | 'promotion_expired'
    | 'promotion_not_in_region'
    | 'promotion_below_minimum'
    | 'promotion_not_applicable'
    | 'promotion_used_up'
    | 'promotion_customer_limit',
  detail: string,
): CatalogError {
  return new CatalogError(code, detail, {
    errors: [{ field: 'code', in: 'body', message: detail }],
  });
}

const day = (iso: string) => iso.slice(0, 10);

/** `{amount: 2000, currency: 'GBP'}` → "£20.00", in the currency's own minor digits. */
const shown = (money: Money) => formatMoney(money, 'en-GB');
