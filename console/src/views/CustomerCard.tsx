/**
 * Who the customer is, for staff on a case page: the organisation (GET /v1/organisations/{id}: program,
 * Support ID, country, zone, language) with its local time now and whether its business hours and the
 * program's coverage are open now (GET /v1/policy?orgId=, holidays included), its people and the partners
 * acting for it with phone (GET /v1/organisations/{id}/people), who opened the case, the notification
 * contacts with their languages and phone (GET /v1/organisations/{id}/notification-contacts) and its
 * Support Account Manager (GET /v1/organisations/{id}/account-manager; a 404 means none). Reference data:
 * a case change never refetches it; the open-now answer is read again when it changes.
 */
import { useQuery } from '@tanstack/react-query';
import { api, ApiError, qs } from '../server-api/client';
import type { AccountManager, CaseDetail, CustomerPerson, NotificationContact, Organisation, Policy } from '../server-api/types';
import { ProblemAlert } from '../components/ProblemAlert';
import { useNow } from '../components/useNow';
import { humanize, localTime } from '../format';

const REFERENCE = 5 * 60_000;

type OpenNow = NonNullable<Policy['organisation']>['now']['coverage'];

/** "+49 89 2190 5501" as a link a phone or softphone dials. */
function Phone({ number }: { number: string | null | undefined }) {
  if (!number) return <span className="muted">no phone</span>;
  return (
    <a href={`tel:${number.replace(/ /g, '')}`} data-phone={number}>
      {number}
    </a>
  );
}

/** "open now, until Fri 17:00" / "closed now, opens Mon 08:00" / "24/7", in the customer's zone. */
function OpenState({ label, state, zone, now }: { label: string | undefined; state: OpenNow; zone: string; now: number }) {
  // The answer holds until changesAt; past it (before the refetch lands) the state has flipped once.
  const flipped = state.changesAt !== null && now >= Date.parse(state.changesAt);
  const open = flipped ? !state.open : state.open;
  const next = state.changesAt && !flipped ? localTime(zone, Date.parse(state.changesAt)) : null;
  return (
    <>
      {label ?? ''} ·{' '}
      <strong className={open ? 'ok' : 'closed'} data-open={open}>
        {open ? 'open now' : 'closed now'}
      </strong>
      {next && <span className="muted">{open ? `, until ${next}` : `, opens ${next}`}</span>}
    </>
  );
}

/** One contact: name and role, address, phone, language (separators and line breaks come from styles.css). */
function ContactLine({
  name,
  role,
  email,
  phone,
  language,
  id,
}: Record<'name' | 'role' | 'email' | 'language', string> & { phone: string | null; id: string }) {
  return (
    <>
      <span className="c-name">
        {name} <span className="muted">({role})</span>
      </span>
      <span className="c-mail">
        <a href={`mailto:${email}`}>{email}</a>
      </span>
      <span className="c-phone" data-testid={`phone-${id}`}>
        <Phone number={phone} />
      </span>
      <span className="c-lang">language {language}</span>
    </>
  );
}

export function CustomerCard({ detail }: { detail: CaseDetail }) {
  const orgId = detail.orgId;
  const now = useNow(30_000);
  const org = useQuery({
    queryKey: ['organisation', orgId],
    queryFn: () => api<Organisation>(`/v1/organisations/${encodeURIComponent(orgId)}`),
    staleTime: REFERENCE,
  });
  const people = useQuery({
    queryKey: ['organisation-people', orgId],
    queryFn: () => api<{ items: CustomerPerson[] }>(`/v1/organisations/${encodeURIComponent(orgId)}/people`),
    staleTime: REFERENCE,
  });
  const hours = useQuery({
    queryKey: ['policy', orgId],
    queryFn: () => api<Policy>(`/v1/policy${qs({ orgId })}`),
    staleTime: REFERENCE,
    // Read again when business hours or coverage open or close (not before).
    refetchInterval: (q) => {
      const o = q.state.data?.organisation?.now;
      const next = [o?.businessHours.changesAt, o?.coverage.changesAt].filter((t): t is string => !!t).map(Date.parse);
      return next.length ? Math.max(1_000, Math.min(...next) - Date.now() + 1_000) : false;
    },
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
  const everyone = people.data?.items ?? [];
  const opener = everyone.find((p) => p.id === openedBy);
  // A partner acts for the customer on this case when it opened it or wrote on it.
  const actors = new Set([openedBy, ...detail.history.map((h) => h.actorId)]);
  const actingPartners = everyone.filter((p) => p.partner && actors.has(p.id));
  const own = everyone.filter((p) => !p.partner);
  const o = org.data;
  const cal = hours.data?.organisation;
  return (
    <section className="card customer" aria-labelledby="customer-h" data-testid="customer">
      <h2 id="customer-h">Customer</h2>
      <ProblemAlert error={org.error ?? people.error ?? hours.error ?? contacts.error ?? sam.error} />
      {!o ? (
        <p className="muted">{org.isLoading ? 'Loading…' : '—'}</p>
      ) : (
        <dl className="facts two">
          <dt>Organisation</dt>
          <dd data-testid="customer-org">{o.name}</dd>
          <dt>Program</dt>
          <dd data-testid="customer-program">{humanize(o.entitlement)}</dd>
          <dt>Support ID</dt>
          <dd data-testid="customer-support-id">{o.supportId}</dd>
          <dt>Local time now</dt>
          <dd data-testid="customer-local-time">
            {localTime(o.timeZone, now)} <span className="muted">({o.timeZone})</span>
          </dd>
          <dt>Business hours</dt>
          <dd data-testid="customer-business-hours">
            {cal ? <OpenState label={cal.businessCalendar.label} state={cal.now.businessHours} zone={o.timeZone} now={now} /> : '…'}
          </dd>
          <dt>Response coverage</dt>
          <dd data-testid="customer-coverage">
            {cal ? <OpenState label={cal.coverage.label} state={cal.now.coverage} zone={o.timeZone} now={now} /> : '…'}
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
              <dd>
                <span data-testid="customer-opened-by" data-principal={openedBy}>
                  {opener?.name ?? openedBy}
                </span>
                {opener && (
                  <>
                    {' '}
                    · <Phone number={opener.phone} />
                  </>
                )}
              </dd>
            </>
          )}
          {actingPartners.length > 0 && (
            <>
              <dt>Partner acting for the customer</dt>
              <dd data-testid="customer-partner">
                {actingPartners.map((p) => (
                  <span key={p.id} className="person" data-person={p.id}>
                    {p.name} · <a href={`mailto:${p.email}`}>{p.email}</a> · <Phone number={p.phone} />
                  </span>
                ))}
              </dd>
            </>
          )}
          <dt>Account manager</dt>
          <dd>{sam.data ? `${sam.data.principal.name} <${sam.data.principal.email}>` : sam.isLoading ? '…' : 'none'}</dd>
        </dl>
      )}
      <h3>Contacts</h3>
      {people.data && own.length === 0 && contacts.data?.items.length === 0 && <p className="muted">No contacts.</p>}
      <ul className="plain contacts" aria-label="Contacts" data-testid="customer-contacts">
        {own.map((p) => (
          <li key={p.id} data-person={p.id}>
            <ContactLine id={p.id} name={p.name} role={humanize(p.role)} email={p.email} phone={p.phone} language={detail.language} />
          </li>
        ))}
        {contacts.data?.items.map((c) => (
          <li key={c.id} data-contact={c.email}>
            <ContactLine
              id={c.id}
              name={c.name}
              role="notification contact"
              email={c.email}
              phone={c.phone}
              language={c.language ?? `${detail.language} (the case's)`}
            />
            {c.kinds && <span className="c-kinds muted">{c.kinds.map(humanize).join(', ')}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
