import type { SkuPrice } from '@bazaar/contracts/internal-api';
import type { Money } from '@bazaar/contracts/money';
import { type CartLine, type CartOwner, type CartStore, maxQuantity } from './cart.js';
import { CartError } from './errors.js';
import type { CatalogPrices } from './ports.js';

export type PricedLine = Omit<SkuPrice, 'price' | 'active'> & {
  quantity: number;
  unitPrice: Money;
  lineTotal: Money;
};

export type PricedCart = {
  items: PricedLine[];
  itemCount: number;
  subtotal: Money | null;
  /** SKUs taken out of the cart because they are no longer sold. */
  removed: string[];
};

/**
 * Adds a line and answers the cart as it is then, with one call to catalog for the new SKU and the
 * lines already there: unknown or off sale is a 422 naming the field, past the cap a 422 too.
 */
export async function addToCart(
  store: CartStore,
  catalogPrices: CatalogPrices,
  owner: CartOwner,
  line: CartLine,
): Promise<PricedCart> {
  const lines = await store.lines(owner);
  const prices = await catalogPrices([
    ...new Set([...lines.map((existing) => existing.sku), line.sku]),
  ]);
  if (!prices.get(line.sku)?.active) {
    throw new CartError('sku_unavailable', `${line.sku} is not for sale`, {
      errors: [{ field: 'sku', in: 'body', message: 'is not a SKU on sale' }],
    });
  }
  const quantity = await store.add(owner, line);
  if (quantity === undefined) {
    throw new CartError('quantity_limit', `A cart line holds at most ${maxQuantity} units`, {
      errors: [{ field: 'quantity', in: 'body', message: `would pass ${maxQuantity} in the cart` }],
    });
  }
  const others = lines.filter((existing) => existing.sku !== line.sku);
  const updated = [...others, { sku: line.sku, quantity }].sort((a, b) => (a.sku < b.sku ? -1 : 1));
  return priceLines(store, owner, updated, prices);
}

/**
 * The cart with today's prices. Lines whose SKU is gone or off sale are dropped from the cart and
 * named in `removed`, so the shopper sees why. One currency per shop: the subtotal is in it.
 */
export async function pricedCart(
  store: CartStore,
  catalogPrices: CatalogPrices,
  owner: CartOwner,
): Promise<PricedCart> {
  const lines = await store.lines(owner);
  const prices = await catalogPrices(lines.map((line) => line.sku));
  return priceLines(store, owner, lines, prices);
}

async function priceLines(
  store: CartStore,
  owner: CartOwner,
  lines: readonly CartLine[],
  prices: ReadonlyMap<string, SkuPrice>,
): Promise<PricedCart> {
  const kept: Array<{ line: CartLine; price: SkuPrice }> = [];
  const removed: string[] = [];
  for (const line of lines) {
    const price = prices.get(line.sku);
    if (price?.active) kept.push({ line, price });
    else removed.push(line.sku);
  }
  if (removed.length > 0) await store.remove(owner, removed);
  const items = kept.map(({ line, price: { price, active: _active, ...sku } }) => ({
    ...sku,
    quantity: line.quantity,
    unitPrice: price,
    lineTotal: { amount: price.amount * line.quantity, currency: price.currency },
  }));
  const currency = items[0]?.unitPrice.currency;
  return {
    items,
    itemCount: items.reduce((sum, item) => sum + item.quantity, 0),
    subtotal: currency
      ? { amount: items.reduce((sum, item) => sum + item.lineTotal.amount, 0), currency }
      : null,
    removed,
  };
}
