import { type Static, Type } from 'typebox';

/**
 * An amount of money: an integer of the currency's minor units (cents for EUR), never a float, and
 * an ISO 4217 code. Every price, total and payment in Bazaar is one.
 */
export const Money = Type.Object({
  amount: Type.Integer({ description: 'minor units, e.g. cents' }),
  currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' }),
});

export type Money = Static<typeof Money>;
