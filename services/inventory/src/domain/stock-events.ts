import type { OutboxEvent } from '@bazaar/events/outbox';
import { crossedBelowThreshold, type StockLevel } from './stock.js';

/**
 * What a change of stock means to others, for the outbox: `inventory.stock.availability.v1` when
 * the SKU became available or sold out (or is new), `inventory.stock.low.v1` when it fell below
 * its threshold. `availableBefore` is undefined for a SKU that had no stock row.
 */
export function stockChangeEvents(
  availableBefore: number | undefined,
  after: StockLevel,
): OutboxEvent[] {
  const events: OutboxEvent[] = [];
  const inStock = after.available > 0;
  if (availableBefore === undefined || availableBefore > 0 !== inStock) {
    events.push({
      type: 'inventory.stock.availability.v1',
      subject: after.sku,
      data: { sku: after.sku, inStock, changedAt: after.updatedAt },
    });
  }
  const before = availableBefore ?? Number.POSITIVE_INFINITY;
  if (crossedBelowThreshold(before, after.available, after.lowStockThreshold)) {
    events.push({
      type: 'inventory.stock.low.v1',
      subject: after.sku,
      data: { sku: after.sku, available: after.available, threshold: after.lowStockThreshold },
    });
  }
  return events;
}

/** What a reservation step did to a SKU's availability, from the row it returned. */
export function availableBeforeChange(
  after: StockLevel,
  change: { onHand: number; reserved: number },
): number {
  return after.available - (change.onHand - change.reserved);
}
