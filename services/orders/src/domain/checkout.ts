import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Quote, QuoteOutcome } from '@bazaar/contracts/internal-api';
import type { NewOrder } from '../store/order-store.js';
import {
  insertOrder,
  type StoredOrder,
  selectOrder,
  selectOrderByKey,
} from '../store/order-store.js';
import { OrdersError } from './errors.js';
import type { ShippingAddress } from './order.js';
import {
  cartInCheckout,
  customerOf,
  type OrderSaga,
  runOrderSaga,
  type SagaDeps,
} from './order-saga.js';
import type { Card, Neighbours } from './ports.js';

export type CheckoutRequest = {
  /** Who buys, from which cart: a signed-in user (`userId`), or a guest by the address given. */
  buyer: { userId: string | null; email: string; cartId: string };
  idempotencyKey: string;
  shippingAddress: ShippingAddress;
  /** None: the first option that serves the address. */
  shippingOptionId?: string | undefined;
  payment: {
    method: 'card';
    cardNumber?: string | undefined;
    /** `MM/YY`, as printed on the card. */
    expiry?: string | undefined;
    cvc?: string | undefined;
    /** The name on the card. */
    name?: string | undefined;
    token?: string | undefined;
  };
};

export type CheckoutDeps = SagaDeps;

/**
 * How long a repeated request waits for the first to finish: well inside the gateway's upstream
 * timeout (10 s), so the shopper gets `409 checkout_in_progress` with Retry-After, not a 504.
 */
const repeatWaitMs = 5000;

/**
 * A checkout: the order priced from the cart and recorded under its key, then the saga run
 * (`order-saga.ts`). Returns the order in its final status; what the shopper is told follows from
 * it (`checkoutAnswer`), so a repeated request gets the same answer.
 */
export async function checkout(
  deps: CheckoutDeps,
  request: CheckoutRequest,
): Promise<{ order: StoredOrder; accessToken?: string }> {
  const card = cardOf(request.payment);
  const fingerprint = fingerprintOf(request);
  const { buyer } = request;
  const first = () => selectOrderByKey(deps.db, buyer.cartId, request.idempotencyKey);
  let quote: Quote;
  try {
    quote = await quoteCart(deps.services, request);
  } catch (error) {
    // A repeated request finds the cart as the first left it (emptied, most likely): the first's
    // outcome is its answer, not why this cart cannot be bought now.
    const earlier = error instanceof OrdersError ? await first() : undefined;
    if (earlier) return { order: await sameRequest(deps, earlier, fingerprint) };
    throw error;
  }
  const order = await insertOrder(deps.db, {
    id: randomUUID(),
    userId: buyer.userId,
    cartId: buyer.cartId,
    email: buyer.email,
    idempotencyKey: request.idempotencyKey,
    fingerprint,
    shippingAddress: request.shippingAddress,
    ...charged(quote),
  });
  if (!order) {
    // A request with the same key got in first: its outcome is this one's too.
    const earlier = await first();
    if (!earlier) throw new Error('an idempotency key conflicted with no order');
    return { order: await sameRequest(deps, earlier, fingerprint) };
  }
  const saga: OrderSaga = { ...deps, order, card };
  const ended = await runOrderSaga(saga);
  return { order: ended, ...(saga.accessToken && { accessToken: saga.accessToken }) };
}

/**
 * The cart quoted by catalog for the address and the option chosen, with the code the cart holds:
 * an empty cart, one whose lines another checkout has taken, a SKU off sale, an option or a
 * country the region does not serve, or a code that no longer applies ends here, before any order
 * is made.
 */
async function quoteCart(services: Neighbours, request: CheckoutRequest): Promise<Quote> {
  const cart = await services.cart(request.buyer.cartId);
  if (cart.lines.length === 0) {
    if (cart.checkoutsInProgress.length > 0) {
      const { detail, ...details } = cartInCheckout(cart.checkoutsInProgress);
      throw new OrdersError('cart_in_checkout', detail, details);
    }
    throw new OrdersError('cart_empty', 'The cart is empty');
  }
  const { country, state } = request.shippingAddress;
  const outcome = await services.quote({
    ...(cart.region !== null && { region: cart.region }),
    country,
    ...(state !== undefined && { state }),
    lines: cart.lines,
    forOrder: true,
    ...(request.shippingOptionId !== undefined && { shippingOptionId: request.shippingOptionId }),
    ...(cart.promotionCode !== null && {
      promotion: { code: cart.promotionCode, customer: customerOf(request.buyer) },
    }),
  });
  if (!outcome.quoted) throw refusal(outcome);
  if (outcome.quote.unavailable.length > 0) {
    const skus = outcome.quote.unavailable;
    throw new OrdersError('sku_unavailable', `No longer for sale: ${skus.join(', ')}`, { skus });
  }
  return outcome.quote;
}

/** Catalog's refusal, naming the checkout's field (or the cart's code) that caused it. */
function refusal(outcome: Extract<QuoteOutcome, { quoted: false }>): OrdersError {
  const fieldOf: Record<string, { field: string; in: string }> = {
    region: { field: 'region', in: 'cart' },
    country: { field: 'shippingAddress.country', in: 'body' },
    state: { field: 'shippingAddress.state', in: 'body' },
    shippingOptionId: { field: 'shippingOptionId', in: 'body' },
    code: { field: 'promotion', in: 'cart' },
  };
  return new OrdersError(outcome.code, outcome.detail, {
    errors: outcome.errors.map((error) => ({
      ...error,
      ...(fieldOf[error.field] ?? {}),
    })),
  });
}

/** What the order is charged: the quote, kept as it was. */
function charged(
  quote: Quote,
): Omit<
  NewOrder,
  'id' | 'userId' | 'cartId' | 'email' | 'idempotencyKey' | 'fingerprint' | 'shippingAddress'
> {
  return {
    region: quote.region,
    taxIncluded: quote.taxIncluded,
    returnDays: quote.returnDays,
    currency: quote.currency,
    subtotal: quote.subtotal.amount,
    discount: quote.discount.amount,
    shipping: quote.shipping.amount,
    tax: quote.tax.amount,
    total: quote.total.amount,
    shippingOption: quote.shippingOption,
    promotion: quote.promotion,
    lines: quote.lines.map(({ sku, name, quantity, unitPrice, discount, tax, taxRate }) => ({
      sku,
      name,
      quantity,
      unitPrice,
      discount,
      tax,
      taxRate,
    })),
  };
}

/** The first request's order, once it finished; a different body under the same key is refused. */
async function sameRequest(
  deps: CheckoutDeps,
  first: StoredOrder,
  fingerprint: string,
): Promise<StoredOrder> {
  if (first.fingerprint !== fingerprint) {
    throw new OrdersError(
      'idempotency_key_reused',
      'This Idempotency-Key was used for a different checkout',
      { orderId: first.id },
    );
  }
  const deadline = Date.now() + repeatWaitMs;
  let order = first;
  while (order.status === 'pending' && Date.now() < deadline) {
    await sleep(100);
    order = (await selectOrder(deps.db, first.id)) ?? order;
  }
  return order;
}

function cardOf(payment: CheckoutRequest['payment']): Card {
  if ((payment.cardNumber === undefined) === (payment.token === undefined)) {
    throw new OrdersError('invalid_request', 'Give either a card number or a token', {
      errors: [{ field: 'payment', in: 'body', message: 'needs exactly one of cardNumber, token' }],
    });
  }
  if (payment.token !== undefined) return { token: payment.token };
  const { cardNumber = '', expiry, cvc, name } = payment;
  const missing = (['expiry', 'cvc'] as const).filter((field) => payment[field] === undefined);
  if (expiry === undefined || cvc === undefined) {
    throw new OrdersError('invalid_request', 'A card number needs its expiry and security code', {
      errors: missing.map((field) => ({
        field: `payment.${field}`,
        in: 'body',
        message: 'is required with cardNumber',
      })),
    });
  }
  const [month, year] = expiry.split('/').map(Number);
  return {
    number: cardNumber,
    expiry: { month: month ?? 0, year: 2000 + (year ?? 0) },
    cvc,
    ...(name === undefined ? {} : { name }),
  };
}

/**
 * What identifies the request under its key: the address and the payment method, with only the
 * last four digits of a card (a hash of a whole card number could be reversed by trying them all).
 */
function fingerprintOf(request: CheckoutRequest): string {
  const { cardNumber, token } = request.payment;
  const address = request.shippingAddress;
  const canonical = JSON.stringify([
    address.name,
    address.line1,
    address.line2 ?? '',
    address.city,
    address.postalCode,
    address.country,
    address.state ?? '',
    request.shippingOptionId ?? '',
    request.buyer.email,
    token ?? '',
    cardNumber?.replace(/\D/g, '').slice(-4) ?? '',
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
