/** Who is signed in (GET /v1/me with the bearer token), shared with every view. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useState, type ReactNode } from 'react';
import { api, getToken, setToken } from './server-api/client';
import type { Me } from './server-api/types';

interface Session {
  me: Me | null;
  loading: boolean;
  error: unknown;
  signIn: (token: string) => void;
  signOut: () => void;
}

const SessionContext = createContext<Session>({ me: null, loading: false, error: null, signIn: () => undefined, signOut: () => undefined });

export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const [token, setTokenState] = useState(getToken());
  const me = useQuery({ queryKey: ['me', token], queryFn: () => api<Me>('/v1/me'), enabled: !!token, retry: false });
  const session: Session = {
    me: token ? (me.data ?? null) : null,
    loading: !!token && me.isLoading,
    error: me.error,
    signIn: (t) => {
      setToken(t);
      client.clear();
      setTokenState(t);
    },
    signOut: () => {
      setToken(null);
      client.clear();
      setTokenState(null);
    },
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export const useSession = () => useContext(SessionContext);
export const isStaff = (me: Me | null) => !!me && ['engineer', 'manager', 'admin'].includes(me.role);
