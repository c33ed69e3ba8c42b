import type { CheckoutCart } from '@bazaar/contracts/internal-api';
import type { ServiceClient } from '@bazaar/service-kit/service-client';
import type { Neighbours } from '../domain/ports.js';
import { body } from './answers.js';

/**
 * Cart's internal API: the buyer's cart (by its id), and its lines taken out for a checkout or
 * given back.
 */
export function cartClient(
  cart: ServiceClient,
): Pick<Neighbours, 'cart' | 'claimCart' | 'giveBackCart'> {
  return {
    cart: async (cartId) =>
      body(
        await cart.call<CheckoutCart>({
          method: 'GET',
          path: `/internal/carts/${encodeURIComponent(cartId)}`,
          idempotent: true,
        }),
        'cart',
        200,
      ),
    claimCart: async (cartId, orderId, lines) => {
      const response = await cart.call<{ heldBy?: string[] }>({
        method: 'POST',
        path: `/internal/carts/${encodeURIComponent(cartId)}/checkouts`,
        body: { orderId, lines },
        idempotent: true,
      });
      if (response.status === 409) return { claimed: false, heldBy: response.body.heldBy ?? [] };
      body(response, 'cart', 200);
      return { claimed: true };
    },
    giveBackCart: async (cartId, orderId) => {
      body(
        await cart.call({
          method: 'POST',
          path: `/internal/carts/${encodeURIComponent(cartId)}/checkouts/${orderId}/return`,
          idempotent: true,
        }),
        'cart',
        204,
      );
    },
  };
}
