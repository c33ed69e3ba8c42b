export type StockLevel = {
  sku: string;
  onHand: number;
  reserved: number;
  /** on hand − reserved: what can still be sold. */
  available: number;
  lowStockThreshold: number;
  /** ISO 8601, taken under the row lock: later changes of a SKU always have later times. */
  updatedAt: string;
};

export type ReservationLine = { sku: string; quantity: number };

export type ReservationStatus = 'held' | 'committed' | 'released' | 'expired' | 'returned';

export type Reservation = {
  orderId: string;
  status: ReservationStatus;
  /** ISO 8601 */
  expiresAt: string;
  lines: ReservationLine[];
};

/**
 * One line per SKU (quantities of repeated SKUs added up), in SKU order: every transaction locks
 * stock rows in this same order, so two orders can never wait on each other.
 */
export function normalizeLines(lines: readonly ReservationLine[]): ReservationLine[] {
  const totals = new Map<string, number>();
  for (const { sku, quantity } of lines) totals.set(sku, (totals.get(sku) ?? 0) + quantity);
  return [...totals]
    .map(([sku, quantity]) => ({ sku, quantity }))
    .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}

/** The low-stock event is due when available stock falls from at least the threshold to below it. */
export function crossedBelowThreshold(before: number, after: number, threshold: number): boolean {
  return before >= threshold && after < threshold;
}
