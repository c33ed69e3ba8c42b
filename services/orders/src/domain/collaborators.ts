import type { CheckoutCart, PricesResponse, SkuPrice } from '@bazaar/contracts/internal-api';
import type { Money } from '@bazaar/contracts/money';
import type { ServiceClient, ServiceResponse } from '@bazaar/service-kit/service-client';

type Problem = { code: string; detail: string; [extension: string]: unknown };

export type PaymentState = {
  status: 'authorized' | 'declined' | 'captured' | 'voided' | 'refunded';
  cardBrand: string;
  cardLast4: string;
};
export type Card = { number: string } | { token: string };

export type Refusal = { status: number; problem: Problem };

/** The other services checkout talks to, each call idempotent by order id where it changes anything. */
export type Collaborators = {
  cart: (userId: string) => Promise<CheckoutCart>;
  /**
   * Takes the order's lines out of the user's cart, so no other checkout can buy them; false when
   * the cart no longer holds them (another checkout took them), with the orders that did.
   */
  claimCart: (
    userId: string,
    orderId: string,
    lines: ReadonlyArray<{ sku: string; quantity: number }>,
  ) => Promise<{ claimed: true } | { claimed: false; heldBy: string[] }>;
  /** The order was not placed: what it took from the cart goes back (nothing, if it took nothing). */
  giveBackCart: (userId: string, orderId: string) => Promise<void>;
  prices: (skus: readonly string[]) => Promise<Map<string, SkuPrice>>;
  /** Holds every line or none; a refusal (409 out of stock, 404 unknown SKU) is returned. */
  reserve: (
    orderId: string,
    lines: ReadonlyArray<{ sku: string; quantity: number }>,
    ttlSeconds: number,
  ) => Promise<Refusal | undefined>;
  /** False when the reservation is no longer held (it expired or was released). */
  commitReservation: (orderId: string) => Promise<boolean>;
  releaseReservation: (orderId: string) => Promise<void>;
  /**
   * A declined or invalid card is returned as a refusal (402, 400), and so is an order closed to
   * payment (409: it was settled without one).
   */
  authorize: (orderId: string, amount: Money, card: Card) => Promise<PaymentState | Refusal>;
  /**
   * For an order being settled after its checkout was cut off: the payment it has, or none, and
   * then none can be taken later (an authorization still on its way is refused).
   */
  closePayment: (orderId: string) => Promise<PaymentState | undefined>;
  settlePayment: (orderId: string, action: 'capture' | 'void' | 'refund') => Promise<void>;
};

export function collaborators(clients: {
  cart: ServiceClient;
  catalog: ServiceClient;
  inventory: ServiceClient;
  payments: ServiceClient;
}): Collaborators {
  const expect = <T>(response: ServiceResponse<T>, service: string, ...ok: number[]): T => {
    if (!ok.includes(response.status)) {
      throw new Error(`${service} answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
    return response.body;
  };
  const refusal = (response: ServiceResponse<unknown>): Refusal => ({
    status: response.status,
    problem: response.body as Problem,
  });
  return {
    cart: async (userId) => {
      const response = await clients.cart.call<CheckoutCart>({
        method: 'GET',
        path: `/internal/carts/${userId}`,
        idempotent: true,
      });
      return expect(response, 'cart', 200);
    },
    claimCart: async (userId, orderId, lines) => {
      const response = await clients.cart.call<{ heldBy?: string[] }>({
        method: 'POST',
        path: `/internal/carts/${userId}/checkouts`,
        body: { orderId, lines },
        idempotent: true,
      });
      if (response.status === 409) return { claimed: false, heldBy: response.body.heldBy ?? [] };
      expect(response, 'cart', 200);
      return { claimed: true };
    },
    giveBackCart: async (userId, orderId) => {
      const response = await clients.cart.call({
        method: 'POST',
        path: `/internal/carts/${userId}/checkouts/${orderId}/return`,
        idempotent: true,
      });
      expect(response, 'cart', 204);
    },
    prices: async (skus) => {
      const response = await clients.catalog.call<PricesResponse>({
        method: 'POST',
        path: '/internal/prices',
        body: { skus },
        idempotent: true,
      });
      return new Map(expect(response, 'catalog', 200).items.map((item) => [item.sku, item]));
    },
    reserve: async (orderId, lines, ttlSeconds) => {
      const response = await clients.inventory.call({
        method: 'POST',
        path: '/internal/reservations',
        body: { orderId, lines, ttlSeconds },
        idempotent: true,
      });
      if (response.status === 409 || response.status === 404) return refusal(response);
      expect(response, 'inventory', 200, 201);
      return undefined;
    },
    commitReservation: async (orderId) => {
      const response = await clients.inventory.call({
        method: 'POST',
        path: `/internal/reservations/${orderId}/commit`,
        idempotent: true,
      });
      if (response.status === 409) return false;
      expect(response, 'inventory', 200);
      return true;
    },
    releaseReservation: async (orderId) => {
      const response = await clients.inventory.call({
        method: 'POST',
        path: `/internal/reservations/${orderId}/release`,
        idempotent: true,
      });
      // An order that never reserved is recorded released (200); an inventory from before that
      // answers 404 (a rolling update): nothing to give back either way.
      expect(response, 'inventory', 200, 404);
    },
    authorize: async (orderId, amount, card) => {
      const response = await clients.payments.call<PaymentState>({
        method: 'POST',
        path: '/internal/payments',
        body: { orderId, amount: amount.amount, currency: amount.currency, card },
        idempotent: true,
      });
      if ([400, 402, 409].includes(response.status)) return refusal(response);
      return expect(response, 'payments', 200, 201);
    },
    closePayment: async (orderId) => {
      const response = await clients.payments.call<PaymentState>({
        method: 'POST',
        path: `/internal/payments/${orderId}/close`,
        idempotent: true,
      });
      if (response.status === 204) return undefined;
      return expect(response, 'payments', 200);
    },
    settlePayment: async (orderId, action) => {
      const response = await clients.payments.call({
        method: 'POST',
        path: `/internal/payments/${orderId}/${action}`,
        idempotent: true,
      });
      expect(response, 'payments', 200);
    },
  };
}

export function isRefusal(value: PaymentState | Refusal): value is Refusal {
  return 'problem' in value;
}
