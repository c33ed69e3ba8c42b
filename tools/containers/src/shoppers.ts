import { ledgerViolations } from '@bazaar/faults/ledger';
import {
  type CheckoutTally,
  type SteadyCheckouts,
  startSteadyCheckouts,
} from '@bazaar/faults/steady-checkouts';
import { signUpBuyers } from '@bazaar/testing/tuned-shop';
import type { SuiteShop } from './suite-shop.js';

/**
 * Shoppers (eight unless told) checking out in a loop, on a SKU of their own, for as long as
 * `faults` runs (it is handed their progress); what they were answered, and the ledger after,
 * once the sweeper has settled what a fault cut off and the relays and consumers have caught up.
 */
export async function shoppersThrough(
  suite: SuiteShop,
  faults: (load: SteadyCheckouts) => Promise<void>,
  shoppers = 8,
): Promise<{ tally: CheckoutTally; violations: string[] }> {
  const initialStock = new Map([[await suite.client.stockedSku(suite.admin, 100_000), 100_000]]);
  const buyers = await signUpBuyers(suite.client, shoppers, 10);
  const load = startSteadyCheckouts(suite.client, buyers, [...initialStock.keys()]);
  let tally: CheckoutTally;
  try {
    await faults(load);
  } finally {
    // The shoppers stop whatever happened: a test after this one reads a ledger of its own.
    tally = await load.stop();
  }
  const violations = await ledgerViolations(suite.shop, {
    ...tally,
    initialStock,
    settleTimeoutMs: 120_000,
  });
  return { tally, violations };
}
