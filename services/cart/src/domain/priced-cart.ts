import type { Quote, QuoteRequest } from '@bazaar/contracts/internal-api';
import type { Cart } from '@bazaar/contracts/shop-api';
import { type CartLine, type CartSettings, type CartStore, maxQuantity } from './cart.js';
import { CartError } from './errors.js';
import type { Quotes } from './ports.js';

/** A cart as the shopper sees it; a guest's token is added by the route. */
export type ShownCart = Omit<Cart, 'cartToken'>;

/** A cart by its id, and who shops with it: a signed-in user's id counts a code's uses per customer. */
export type CartContext = { store: CartStore; quotes: Quotes; cart: string; customer?: string };

/** The settings a shopper may change, what they are called in requests, and back. */
const settingOfField: Record<string, keyof CartSettings> = {
  region: 'region',
  country: 'country',
  state: 'state',
  shippingOptionId: 'shippingOptionId',
  code: 'promotionCode',
};

/** The cart priced now, in its region, shipped and taxed, with its code if it still applies. */
export async function shownCart(context: CartContext): Promise<ShownCart> {
  const cart = await context.store.read(context.cart);
  return (await quoteCart(context, cart)).shown;
}

/** The cart of a shopper who has none: empty, in the shop's default region. */
export async function emptyCart(quotes: Quotes): Promise<ShownCart> {
  const outcome = await quotes({ lines: [] });
  if (!outcome.quoted) throw new Error(`catalog refused an empty quote: ${outcome.code}`);
  return shown(outcome.quote, {}, null);
}

/** What shipping the cart to where it goes would cost by each option that serves the place. */
export async function shippingChoices(context: CartContext): Promise<Quote['shippingOptions']> {
  const cart = await context.store.read(context.cart);
  return (await quoteCart(context, cart)).quote.shippingOptions;
}

/**
 * Adds a line and answers the cart as it is then, quoted before the line goes in: a SKU catalog
 * does not sell is a 422 naming the field, and so is a line past the cap.
 */
export async function addToCart(context: CartContext, line: CartLine): Promise<ShownCart> {
  const { lines, settings } = await context.store.read(context.cart);
  const quantity =
    (lines.find((existing) => existing.sku === line.sku)?.quantity ?? 0) + line.quantity;
  if (quantity > maxQuantity) throw quantityLimit();
  const expected = [
    ...lines.filter((existing) => existing.sku !== line.sku),
    { ...line, quantity },
  ];
  expected.sort((a, b) => (a.sku < b.sku ? -1 : 1));
  const { shown } = await quoteCart(context, { lines: expected, settings });
  if (shown.removed.includes(line.sku)) {
    throw new CartError('sku_unavailable', `${line.sku} is not for sale`, {
      errors: [{ field: 'sku', in: 'body', message: 'is not a SKU on sale' }],
    });
  }
  const added = await context.store.add(context.cart, line);
  if (added === undefined) throw quantityLimit();
  // Another request changed the line meanwhile: what was quoted is not what the cart holds.
  return added === quantity ? shown : shownCart(context);
}

export type SettingsPatch = {
  [Setting in 'region' | 'country' | 'state' | 'shippingOptionId']?: string | null;
};

/**
 * Changes where the cart is priced and shipped. A new region forgets the country and option chosen
 * for the old one; a new country moves the cart to the region that sells there, and forgets the
 * state and option. A region, country or option that does not fit is a 422 naming the field.
 */
export async function changeSettings(
  context: CartContext,
  patch: SettingsPatch,
): Promise<ShownCart> {
  const { lines, settings } = await context.store.read(context.cart);
  const next: Record<string, string | undefined> = { ...settings };
  const given = (name: keyof SettingsPatch) => name in patch;
  if (given('region') && !given('country'))
    Object.assign(next, { country: undefined, state: undefined });
  if (given('country') && !given('region')) next.region = undefined;
  if (given('country') && !given('state')) next.state = undefined;
  if ((given('region') || given('country')) && !given('shippingOptionId')) {
    next.shippingOptionId = undefined;
  }
  for (const [name, value] of Object.entries(patch)) next[name] = value ?? undefined;
  const strict = Object.keys(patch).map((name) => settingOfField[name] as keyof CartSettings);
  return (
    await quoteCart(context, { lines, settings: defined(next) }, { stored: settings, strict })
  ).shown;
}

/** Applies a code to the cart; one that does not apply is a 422 that says why, naming `code`. */
export async function applyPromotion(context: CartContext, code: string): Promise<ShownCart> {
  const { lines, settings } = await context.store.read(context.cart);
  if (lines.length === 0) {
    throw new CartError('cart_empty', 'Add something to the cart before applying a code', {
      errors: [{ field: 'code', in: 'body', message: 'needs a cart with something in it' }],
    });
  }
  const cart = { lines, settings: { ...settings, promotionCode: code } };
  return (await quoteCart(context, cart, { stored: settings, strict: ['promotionCode'] })).shown;
}

/** Takes a code off the cart; taking off one it does not hold changes nothing. */
export async function removePromotion(context: CartContext, code: string): Promise<ShownCart> {
  const { lines, settings } = await context.store.read(context.cart);
  const { promotionCode, ...rest } = settings;
  const held = promotionCode?.toUpperCase() === code.trim().toUpperCase();
  return (
    await quoteCart(context, { lines, settings: held ? rest : settings }, { stored: settings })
  ).shown;
}

/**
 * Quotes the cart. A setting catalog refuses that the shopper is not changing now (a code that has
 * expired, an option since paused) is left out and the cart quoted again, so the cart always
 * shows; the code stays, shown as not applied with the reason. Settings that changed are kept,
 * and lines catalog no longer sells leave the cart.
 */
async function quoteCart(
  context: CartContext,
  cart: { lines: CartLine[]; settings: CartSettings },
  options: { stored?: CartSettings; strict?: ReadonlyArray<keyof CartSettings> } = {},
): Promise<{ shown: ShownCart; quote: Quote }> {
  const { stored = cart.settings, strict = [] } = options;
  let asked = cart.settings;
  let reason: string | null = null;
  for (;;) {
    const outcome = await context.quotes(quoteRequest(cart.lines, asked, context.customer));
    if (outcome.quoted) {
      const quote = outcome.quote;
      const kept = defined({
        ...asked,
        region: asked.region ?? (asked.country ? quote.region : undefined),
        promotionCode: quote.promotion?.code ?? cart.settings.promotionCode,
      });
      if (!sameSettings(kept, stored)) {
        await context.store.saveSettings(context.cart, kept);
      }
      if (quote.unavailable.length > 0) await context.store.remove(context.cart, quote.unavailable);
      return { shown: shown(quote, kept, reason), quote };
    }
    const setting = settingOfField[outcome.errors[0]?.field ?? ''];
    if (setting === undefined || asked[setting] === undefined) {
      throw new Error(`catalog refused a cart's quote: ${outcome.code}: ${outcome.detail}`);
    }
    if (strict.includes(setting)) {
      throw new CartError(outcome.code, outcome.detail, { errors: outcome.errors });
    }
    if (setting === 'promotionCode') reason = outcome.detail;
    const { [setting]: _refused, ...rest } = asked;
    asked = rest;
  }
}

function quoteRequest(
  lines: CartLine[],
  settings: CartSettings,
  customer: string | undefined,
): QuoteRequest {
  const { promotionCode, ...place } = settings;
  return {
    ...place,
    lines,
    ...(promotionCode && { promotion: { code: promotionCode, ...(customer && { customer }) } }),
  };
}

function shown(quote: Quote, settings: CartSettings, reason: string | null): ShownCart {
  const code = settings.promotionCode;
  return {
    items: quote.lines,
    itemCount: quote.lines.reduce((sum, line) => sum + line.quantity, 0),
    region: quote.region,
    currency: quote.currency,
    taxIncluded: quote.taxIncluded,
    country: quote.country,
    state: settings.state ?? null,
    shippingOption: quote.shippingOption,
    promotion:
      code === undefined
        ? null
        : quote.promotion
          ? { ...quote.promotion, applied: true, reason: null }
          : { code, applied: false, description: null, reason },
    subtotal: quote.subtotal,
    discount: quote.discount,
    shipping: quote.shipping,
    tax: quote.tax,
    total: quote.total,
    removed: quote.unavailable,
  };
}

const quantityLimit = () =>
  new CartError('quantity_limit', `A cart line holds at most ${maxQuantity} units`, {
    errors: [{ field: 'quantity', in: 'body', message: `would pass ${maxQuantity} in the cart` }],
  });

const sameSettings = (a: CartSettings, b: CartSettings) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

const defined = (settings: Record<string, string | undefined>): CartSettings =>
  Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
