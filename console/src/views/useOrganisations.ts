/** The organisations the signed-in person may act for (their own; a partner's linked ones), and the chosen one. */
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { api } from '../server-api/client';
import type { Organisation } from '../server-api/types';

export function useOrganisations() {
  const [params, setParams] = useSearchParams();
  const orgs = useQuery({
    queryKey: ['organisations'],
    queryFn: () => api<{ items: Organisation[] }>('/v1/organisations'),
    staleTime: 60_000,
  });
  const items = orgs.data?.items ?? [];
  const chosen = items.find((o) => o.id === params.get('org')) ?? items[0];
  const choose = (id: string) => {
    const next = new URLSearchParams(params);
    next.set('org', id);
    setParams(next, { replace: true });
  };
  return { orgs: items, org: chosen, choose, error: orgs.error };
}
