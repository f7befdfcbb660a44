/**
 * Who is signed in, shared with every view. People sign in through OpenID Connect: the server keeps the
 * session and the browser holds only an HttpOnly cookie; GET /auth/session says whose it is and gives the
 * CSRF token every state change sends (server-api/client.ts). Integrations and scripts use bearer tokens, and
 * the sign-in page still takes one. When the server refuses the credential (401 on any request or on the live
 * stream: signed out elsewhere, expired, revoked, the account disabled) the session drops it at once and the
 * sign-in page says why (`notice`); nothing keeps retrying with a dead credential.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { api, getToken, hasCookieSession, onUnauthorized, setCookieSession, setToken, type Problem } from './server-api/client';
import type { Me } from './server-api/types';

interface CookieSession {
  principalId: string;
  provider: string;
  csrfToken: string;
  expiresAt: string;
  idleExpiresAt: string;
}

interface Session {
  me: Me | null;
  loading: boolean;
  error: unknown;
  /** Why the last session ended or the last sign-in failed (shown on the sign-in page); null: nothing to say. */
  notice: string | null;
  /** Signed in through an identity provider (a session cookie), not with a pasted token. */
  viaProvider: boolean;
  signIn: (token: string) => void;
  signOut: () => void;
}

const SessionContext = createContext<Session>({
  me: null,
  loading: false,
  error: null,
  notice: null,
  viaProvider: false,
  signIn: () => undefined,
  signOut: () => undefined,
});

/** The sign-in page's message after a 401: a session that was in use ended, or a token typed in was refused. */
export function unauthorizedNotice(wasSignedIn: boolean, problem: Pick<Problem, 'detail'>, viaProvider = false): string {
  const why = problem.detail ? ` (${problem.detail})` : '';
  if (viaProvider) return `You were signed out${why}. Sign in again.`;
  return wasSignedIn
    ? `You were signed out: the server no longer accepts this token${why}. Sign in again.`
    : `That token was refused${why}.`;
}

/** A refused sign-in comes back from the server's callback as ?signin_error=...: shown once, then dropped from the URL. */
function takeSignInError(): string | null {
  const params = new URLSearchParams(window.location.search);
  const error = params.get('signin_error');
  if (error === null) return null;
  params.delete('signin_error');
  const rest = params.toString();
  window.history.replaceState(null, '', `${window.location.pathname}${rest ? `?${rest}` : ''}${window.location.hash}`);
  return `Sign-in failed: ${error}`;
}

async function loadCookieSession(): Promise<CookieSession | null> {
  const res = await fetch('/auth/session', { headers: { Accept: 'application/json' }, cache: 'no-store' });
  if (!res.ok) return null;
  return (await res.json()) as CookieSession;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const [token, setTokenState] = useState(getToken());
  const [notice, setNotice] = useState<string | null>(takeSignInError);
  // Without a token, ask whether the browser holds a session (the cookie itself is not readable here).
  const cookie = useQuery({
    queryKey: ['cookie-session'],
    queryFn: async () => {
      const found = await loadCookieSession().catch(() => null);
      setCookieSession(found?.csrfToken ?? null);
      return found;
    },
    enabled: !token,
    retry: false,
    staleTime: Infinity,
  });
  const viaProvider = !token && !!cookie.data;
  const credential = token ?? (cookie.data ? `session:${cookie.data.principalId}` : null);
  const me = useQuery({ queryKey: ['me', credential], queryFn: () => api<Me>('/v1/me'), enabled: !!credential, retry: false });
  const signedIn = useRef(false);
  signedIn.current = !!me.data;
  const provider = useRef(false);
  provider.current = viaProvider;

  useEffect(
    () =>
      onUnauthorized((problem) => {
        setNotice(unauthorizedNotice(signedIn.current, problem, provider.current));
        setToken(null);
        setCookieSession(null);
        client.clear();
        client.setQueryData(['cookie-session'], null);
        setTokenState(null);
      }),
    [client],
  );

  const session: Session = {
    me: credential ? (me.data ?? null) : null,
    loading: (!token && cookie.isLoading) || (!!credential && me.isLoading),
    error: me.error,
    notice,
    viaProvider,
    signIn: (t) => {
      setNotice(null);
      setCookieSession(null);
      setToken(t);
      client.clear();
      setTokenState(t);
    },
    signOut: () => {
      setNotice(null);
      if (hasCookieSession()) {
        // Ends the session here, then at the provider (RP-initiated logout), which sends the browser back.
        api<{ logoutUrl: string }>('/auth/logout', { method: 'POST' }).then(
          ({ logoutUrl }) => {
            setCookieSession(null);
            window.location.assign(logoutUrl);
          },
          () => window.location.assign('/'),
        );
        return;
      }
      setToken(null);
      client.clear();
      setTokenState(null);
    },
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export const useSession = () => useContext(SessionContext);
export const isStaff = (me: Me | null) => !!me && ['engineer', 'manager', 'admin'].includes(me.role);
