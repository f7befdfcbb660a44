/**
 * Who the customer is, for staff on a case page: the organisation (GET /v1/organisations/{id}: program,
 * Support ID, country, zone, language) with its local time now, who opened the case, the organisation's
 * notification contacts with their languages (GET /v1/organisations/{id}/notification-contacts) and its
 * Support Account Manager (GET /v1/organisations/{id}/account-manager; a 404 means none). Reference data:
 * a case change never refetches it.
 */
import { useQuery } from '@tanstack/react-query';
import { api, ApiError } from '../server-api/client';
import type { AccountManager, CaseDetail, NotificationContact, Organisation } from '../server-api/types';
import { ProblemAlert } from '../components/ProblemAlert';
import { useNow } from '../components/useNow';
import { humanize, localTime } from '../format';

const REFERENCE = 5 * 60_000;

export function CustomerCard({ detail }: { detail: CaseDetail }) {
  const orgId = detail.orgId;
  const now = useNow(30_000);
  const org = useQuery({
    queryKey: ['organisation', orgId],
    queryFn: () => api<Organisation>(`/v1/organisations/${encodeURIComponent(orgId)}`),
    staleTime: REFERENCE,
  });
  const contacts = useQuery({
    queryKey: ['organisation-contacts', orgId],
    queryFn: () => api<{ items: NotificationContact[] }>(`/v1/organisations/${encodeURIComponent(orgId)}/notification-contacts`),
    staleTime: REFERENCE,
  });
  const sam = useQuery({
    queryKey: ['organisation-account-manager', orgId],
    queryFn: () =>
      api<AccountManager>(`/v1/organisations/${encodeURIComponent(orgId)}/account-manager`).catch((err: unknown) => {
        if (err instanceof ApiError && err.problem.status === 404) return null;
        throw err;
      }),
    staleTime: REFERENCE,
  });
  const openedBy = detail.history.find((h) => h.type === 'opened')?.actorId ?? null;
  const o = org.data;
  return (
    <section className="card customer" aria-labelledby="customer-h" data-testid="customer">
      <h2 id="customer-h">Customer</h2>
      <ProblemAlert error={org.error ?? contacts.error ?? sam.error} />
      {!o ? (
        <p className="muted">{org.isLoading ? 'Loading…' : '—'}</p>
      ) : (
        <dl className="facts two">
          <dt>Organisation</dt>
          <dd data-testid="customer-org">{o.name}</dd>
          <dt>Program</dt>
          <dd>{humanize(o.entitlement)}</dd>
          <dt>Support ID</dt>
          <dd data-testid="customer-support-id">{o.supportId}</dd>
          <dt>Local time now</dt>
          <dd data-testid="customer-local-time">
            {localTime(o.timeZone, now)} <span className="muted">({o.timeZone})</span>
          </dd>
          <dt>Country, region</dt>
          <dd>
            {o.country}
            {o.subdivision ? `-${o.subdivision}` : ''}, {o.marketRegion}
          </dd>
          <dt>Language</dt>
          <dd>{o.language}</dd>
          {openedBy && (
            <>
              <dt>Opened by</dt>
              <dd data-testid="customer-opened-by">{openedBy}</dd>
            </>
          )}
          <dt>Account manager</dt>
          <dd>{sam.data ? `${sam.data.principal.name} <${sam.data.principal.email}>` : sam.isLoading ? '…' : 'none'}</dd>
        </dl>
      )}
      <h3>Contacts</h3>
      {contacts.data && contacts.data.items.length === 0 && <p className="muted">No notification contacts.</p>}
      <ul className="plain" aria-label="Notification contacts">
        {contacts.data?.items.map((c) => (
          <li key={c.id} data-contact={c.email}>
            {c.name} &lt;{c.email}&gt; · <span>language {c.language ?? "the case's"}</span>
            {c.kinds && <span className="muted"> · {c.kinds.map(humanize).join(', ')}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
