import type { Queryable } from '@bazaar/db/pool';
import { addToOutbox } from '@bazaar/events/outbox';
import { crossedBelowThreshold, type StockLevel } from './stock.js';

/** Announces `inventory.stock.low.v1` when a change took available stock below the threshold. */
export async function announceIfLow(
  trx: Queryable,
  availableBefore: number,
  after: StockLevel,
): Promise<void> {
  if (!crossedBelowThreshold(availableBefore, after.available, after.lowStockThreshold)) return;
  await addToOutbox(trx, {
    type: 'inventory.stock.low.v1',
    subject: after.sku,
    data: { sku: after.sku, available: after.available, threshold: after.lowStockThreshold },
  });
}
