import { type Pool, withTransaction } from '@bazaar/db/pool';
import { addToOutbox } from '@bazaar/events/outbox';
import { selectStock, upsertStock } from '../store/stock-store.js';
import { InventoryError } from './errors.js';
import type { StockLevel } from './stock.js';
import { stockChangeEvents } from './stock-events.js';

/** Sets what is on the shelf after a count or a delivery; it can never drop below what is held. */
export async function setStock(
  db: Pool,
  change: { sku: string; onHand: number; lowStockThreshold?: number | undefined },
): Promise<StockLevel> {
  return withTransaction(db, async (trx) => {
    const current = await selectStock(trx, change.sku, { forUpdate: true });
    if (current && change.onHand < current.reserved) {
      throw new InventoryError(
        'below_reserved',
        `${current.reserved} units of ${change.sku} are held for orders; on hand cannot be less`,
        {
          reserved: current.reserved,
          errors: [
            { field: 'onHand', in: 'body', message: `must be at least ${current.reserved}` },
          ],
        },
      );
    }
    const updated = await upsertStock(trx, change);
    await addToOutbox(trx, ...stockChangeEvents(current?.available, updated));
    return updated;
  });
}
