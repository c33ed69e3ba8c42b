import type { Session as SessionAnswer, User } from '@bazaar/contracts/shop-api';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { api, guestCartToken, storedSession, storeSession } from './api';

type Session = {
  user: User | undefined;
  signIn: (email: string, password: string) => Promise<void>;
  /** Asks for an account; the address gets a link to confirm it. Resolves to that address. */
  signUp: (name: string, email: string, password: string) => Promise<string>;
  /** Follows the mailed link: the account opens and is signed in. */
  confirmEmail: (token: string) => Promise<void>;
  signOut: () => Promise<void>;
};

const SessionContext = createContext<Session | undefined>(undefined);

export function SessionProvider({
  children,
  onSignedIn,
}: {
  children: ReactNode;
  /** Runs after sign-in or sign-up, e.g. to merge the guest cart into the user's. */
  onSignedIn: () => Promise<void>;
}) {
  const [user, setUser] = useState<User | undefined>(() => storedSession()?.user);

  useEffect(() => {
    const signedOut = () => setUser(undefined);
    window.addEventListener('bazaar:signed-out', signedOut);
    return () => window.removeEventListener('bazaar:signed-out', signedOut);
  }, []);

  const begin = useCallback(
    async (answer: SessionAnswer) => {
      // The page shows the user signed in once the guest cart has joined theirs, not before.
      storeSession(answer);
      await onSignedIn();
      setUser(answer.user);
    },
    [onSignedIn],
  );

  const signIn = useCallback(
    async (email: string, password: string) => {
      await begin(
        await api<SessionAnswer>('/api/auth/login', { method: 'POST', body: { email, password } }),
      );
    },
    [begin],
  );

  const signUp = useCallback(async (name: string, email: string, password: string) => {
    const asked = await api<{ email: string }>('/api/auth/register', {
      method: 'POST',
      body: { name, email, password },
    });
    return asked.email;
  }, []);

  const confirmEmail = useCallback(
    async (token: string) => {
      await begin(
        await api<SessionAnswer>('/api/auth/verify-email', { method: 'POST', body: { token } }),
      );
    },
    [begin],
  );

  const signOut = useCallback(async () => {
    const session = storedSession();
    if (session) {
      await api('/api/auth/logout', {
        method: 'POST',
        body: { refreshToken: session.refreshToken },
      }).catch(() => undefined);
    }
    storeSession(undefined);
    guestCartToken.set(undefined);
    setUser(undefined);
  }, []);

  return (
    <SessionContext.Provider value={{ user, signIn, signUp, confirmEmail, signOut }}>
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
