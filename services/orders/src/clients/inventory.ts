import type { ServiceClient } from '@bazaar/service-kit/service-client';
import type { Neighbours } from '../domain/ports.js';
import { body, type Problem } from './answers.js';

/**
 * Inventory's internal API: an order's stock taken off the shelf at once, or released; stock only
 * held (by the previous release) committed when the order is paid.
 */
export function inventoryClient(
  inventory: ServiceClient,
): Pick<Neighbours, 'reserve' | 'commitReservation' | 'releaseReservation' | 'restock'> {
  return {
    reserve: async (orderId, lines) => {
      const response = await inventory.call<Problem | { status: string }>({
        method: 'POST',
        path: '/internal/reservations',
        body: { orderId, lines, commit: true },
        idempotent: true,
      });
      // 409 out of stock, 404 a SKU inventory keeps no stock of.
      if (response.status === 409 || response.status === 404) {
        const { code, detail, skus, available } = response.body as Problem;
        return {
          held: false,
          reason: code === 'unknown_sku' ? 'unknown_sku' : 'out_of_stock',
          detail,
          skus: Array.isArray(skus) ? skus.map(String) : [],
          ...(available && typeof available === 'object'
            ? { available: available as Record<string, number> }
            : {}),
        };
      }
      const { status } = body(response, 'inventory', 200, 201) as { status: string };
      return { held: true, committed: status === 'committed' };
    },
    commitReservation: async (orderId) => {
      const response = await inventory.call({
        method: 'POST',
        path: `/internal/reservations/${orderId}/commit`,
        idempotent: true,
      });
      if (response.status === 409) return false;
      body(response, 'inventory', 200);
      return true;
    },
    releaseReservation: async (orderId) => {
      const response = await inventory.call({
        method: 'POST',
        path: `/internal/reservations/${orderId}/release`,
        idempotent: true,
      });
      // An order that never reserved is recorded released (200); an inventory from before that
      // answers 404 (a rolling update): nothing to give back either way.
      body(response, 'inventory', 200, 404);
    },
    restock: async (orderId, returnId, lines) => {
      const response = await inventory.call({
        method: 'POST',
        path: `/internal/reservations/${orderId}/returns`,
        body: {
          returnId,
          lines: lines.map(({ sku, quantity, damaged }) => ({ sku, quantity, damaged })),
        },
        idempotent: true,
      });
      body(response, 'inventory', 204);
    },
  };
}
