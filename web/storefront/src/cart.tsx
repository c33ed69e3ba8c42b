import type { Cart } from '@bazaar/contracts/shop-api';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
} from 'react';
import { api, guestCartToken, storedSession } from './api';

/** Where the cart is priced and shipped; null puts a choice back to the shop's default. */
export type CartChoice = {
  [Setting in 'region' | 'country' | 'state' | 'shippingOptionId']?: string | null;
};

const regionKey = 'bazaar.region';

type CartState = {
  cart: Cart | undefined;
  /** The region prices are shown in: the cart's, or the last one seen on this device. */
  region: string | undefined;
  error: unknown;
  choose: (choice: CartChoice) => Promise<void>;
  applyCode: (code: string) => Promise<void>;
  removeCode: (code: string) => Promise<void>;
  reload: () => Promise<void>;
  add: (sku: string, quantity: number) => Promise<void>;
  setQuantity: (sku: string, quantity: number) => Promise<void>;
  remove: (sku: string) => Promise<void>;
  /** After sign-in: the guest cart joins the user's. */
  mergeGuestCart: () => Promise<void>;
  /** After an order: the cart empties itself an event later; follow it for a few seconds. */
  followOrder: () => Promise<void>;
};

const CartContext = createContext<CartState | undefined>(undefined);

export function CartProvider({ children }: { children: ReactNode }) {
  const [cart, setCart] = useState<Cart>();
  const [error, setError] = useState<unknown>();

  // On a busy shop answers can cross: the page's first read may come back after the region the
  // shopper chose meanwhile. An answer to a request sent before the one whose cart is shown is
  // older than it, and is dropped.
  const sent = useRef(0);
  const shown = useRef(0);
  /** Sends a request that answers with the cart; true when its cart is now the one shown. */
  const send = useCallback(
    async (
      path: string,
      options?: Parameters<typeof api>[1],
      wanted: (next: Cart) => boolean = () => true,
    ): Promise<boolean> => {
      const order = ++sent.current;
      const next = await api<Cart>(path, options);
      if (order < shown.current || !wanted(next)) return false;
      shown.current = order;
      if (next.cartToken && !storedSession()) guestCartToken.set(next.cartToken);
      localStorage.setItem(regionKey, next.region);
      setCart(next);
      setError(undefined);
      return true;
    },
    [],
  );

  const reload = useCallback(async () => {
    try {
      await send('/api/cart');
    } catch (failure) {
      setError(failure);
    }
  }, [send]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const value: CartState = {
    cart,
    region: cart?.region ?? localStorage.getItem(regionKey) ?? undefined,
    error,
    reload,
    choose: async (choice) => {
      await send('/api/cart', { method: 'PATCH', body: choice });
    },
    applyCode: async (code) => {
      await send('/api/cart/promotions', { method: 'POST', body: { code } });
    },
    removeCode: async (code) => {
      await send(`/api/cart/promotions/${encodeURIComponent(code)}`, { method: 'DELETE' });
    },
    add: async (sku, quantity) => {
      await send('/api/cart/items', { method: 'POST', body: { sku, quantity } });
    },
    setQuantity: async (sku, quantity) => {
      await send(`/api/cart/items/${encodeURIComponent(sku)}`, {
        method: 'PATCH',
        body: { quantity },
      });
    },
    remove: async (sku) => {
      await send(`/api/cart/items/${encodeURIComponent(sku)}`, { method: 'DELETE' });
    },
    mergeGuestCart: useCallback(async () => {
      const cartToken = guestCartToken.get();
      if (cartToken) {
        await api<Cart>('/api/cart/merge', { method: 'POST', body: { cartToken } }).catch(
          () => undefined,
        );
        guestCartToken.set(undefined);
      }
      await reload();
    }, [reload]),
    followOrder: async () => {
      const before = cart?.itemCount;
      for (let attempt = 0; attempt < 10; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        const changed = (next: Cart) => next.itemCount !== before;
        if (await send('/api/cart', {}, changed).catch(() => false)) return;
      }
    },
  };
  return <CartContext.Provider value={value}>{children}</CartContext.Provider>;
}

export function useCart(): CartState {
  const state = useContext(CartContext);
  if (!state) throw new Error('useCart outside CartProvider');
  return state;
}
