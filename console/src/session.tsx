/**
 * Who is signed in (GET /v1/me with the bearer token), shared with every view. When the server refuses the
 * token (401 on any request or on the live stream: revoked, or its principal disabled) the session drops it
 * at once and the sign-in page says why (`notice`); nothing keeps retrying with a dead token.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { api, getToken, onUnauthorized, setToken, type Problem } from './server-api/client';
import type { Me } from './server-api/types';

interface Session {
  me: Me | null;
  loading: boolean;
  error: unknown;
  /** Why the last session ended or the last sign-in failed (shown on the sign-in page); null: nothing to say. */
  notice: string | null;
  signIn: (token: string) => void;
  signOut: () => void;
}

const SessionContext = createContext<Session>({
  me: null,
  loading: false,
  error: null,
  notice: null,
  signIn: () => undefined,
  signOut: () => undefined,
});

/** The sign-in page's message after a 401: a session that was in use ended, or a token typed in was refused. */
export function unauthorizedNotice(wasSignedIn: boolean, problem: Pick<Problem, 'detail'>): string {
  const why = problem.detail ? ` (${problem.detail})` : '';
  return wasSignedIn
    ? `You were signed out: the server no longer accepts this token${why}. Sign in again.`
    : `That token was refused${why}.`;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const [token, setTokenState] = useState(getToken());
  const [notice, setNotice] = useState<string | null>(null);
  const me = useQuery({ queryKey: ['me', token], queryFn: () => api<Me>('/v1/me'), enabled: !!token, retry: false });
  const signedIn = useRef(false);
  signedIn.current = !!me.data;

  useEffect(
    () =>
      onUnauthorized((problem) => {
        setNotice(unauthorizedNotice(signedIn.current, problem));
        setToken(null);
        client.clear();
        setTokenState(null);
      }),
    [client],
  );

  const session: Session = {
    me: token ? (me.data ?? null) : null,
    loading: !!token && me.isLoading,
    error: me.error,
    notice,
    signIn: (t) => {
      setNotice(null);
      setToken(t);
      client.clear();
      setTokenState(t);
    },
    signOut: () => {
      setNotice(null);
      setToken(null);
      client.clear();
      setTokenState(null);
    },
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export const useSession = () => useContext(SessionContext);
export const isStaff = (me: Me | null) => !!me && ['engineer', 'manager', 'admin'].includes(me.role);
