import type { Session } from '@bazaar/contracts/shop-api';
import { ApiError, toApiError } from './lib/problem';

/** What the storefront keeps of a session between visits. */
type Tokens = Pick<Session, 'accessToken' | 'refreshToken' | 'user'>;

const sessionKey = 'bazaar.session';
const cartTokenKey = 'bazaar.cartToken';

export function storedSession(): Tokens | undefined {
  try {
    const stored = localStorage.getItem(sessionKey);
    return stored ? (JSON.parse(stored) as Tokens) : undefined;
  } catch {
    return undefined;
  }
}

export function storeSession(tokens: Tokens | undefined): void {
  if (tokens) localStorage.setItem(sessionKey, JSON.stringify(tokens));
  else localStorage.removeItem(sessionKey);
}

export const guestCartToken = {
  get: () => localStorage.getItem(cartTokenKey) ?? undefined,
  set: (token: string | undefined) =>
    token ? localStorage.setItem(cartTokenKey, token) : localStorage.removeItem(cartTokenKey),
};

/** `body` is sent as JSON; `text` or a `file` as it is, with the content type given in `headers`. */
type Options = {
  method?: string;
  body?: unknown;
  text?: string;
  file?: Blob;
  headers?: Record<string, string>;
};

let refreshing: Promise<boolean> | undefined;

/** Trades the refresh token for new tokens once; concurrent callers share the one exchange. */
function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const session = storedSession();
    if (!session) return false;
    const response = await fetch('/api/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: session.refreshToken }),
    }).catch(() => undefined);
    if (!response?.ok) {
      storeSession(undefined);
      window.dispatchEvent(new Event('bazaar:signed-out'));
      return false;
    }
    const fresh = (await response.json()) as Session;
    storeSession({
      accessToken: fresh.accessToken,
      refreshToken: fresh.refreshToken,
      user: fresh.user,
    });
    return true;
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

/**
 * Calls the shop's API (same origin, through the gateway) as the signed-in user, or as the guest
 * whose cart token is kept here. An expired access token is refreshed once; an answer that is not a
 * success throws an ApiError whose message is the problem's detail.
 */
export async function api<T>(path: string, options: Options = {}): Promise<T> {
  const send = () => {
    const session = storedSession();
    const cartToken = guestCartToken.get();
    return fetch(path, {
      method: options.method ?? 'GET',
      headers: {
        accept: 'application/json',
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(session ? { authorization: `Bearer ${session.accessToken}` } : {}),
        ...(!session && cartToken ? { 'x-cart-token': cartToken } : {}),
        ...options.headers,
      },
      body:
        options.file ??
        options.text ??
        (options.body === undefined ? null : JSON.stringify(options.body)),
    });
  };
  let response: Response;
  try {
    response = await send();
    if (response.status === 401 && storedSession() && (await refreshSession())) {
      response = await send();
    }
  } catch {
    throw new ApiError(0, 'network', 'The shop cannot be reached; check your connection.');
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: a file (CSV) the caller asked for, or a proxy's page.
    body = text;
  }
  if (!response.ok) throw toApiError(response.status, body);
  return body as T;
}
