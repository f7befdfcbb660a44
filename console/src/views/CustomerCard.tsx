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
import { localTime, word } from '../format';
import { languageName, useI18n } from '../i18n';

const REFERENCE = 5 * 60_000;

type OpenNow = NonNullable<Policy['organisation']>['now']['coverage'];

/** "+49 89 2190 5501" as a link a phone or softphone dials. */
function Phone({ number }: { number: string | null | undefined }) {
  const { t } = useI18n();
  if (!number) return <span className="muted">{t.noPhone}</span>;
  return (
    <a href={`tel:${number.replace(/ /g, '')}`} data-phone={number}>
      {number}
    </a>
  );
}

/** "open now, until Fri 17:00" / "closed now, opens Mon 08:00" / "24/7", in the customer's zone. */
function OpenState({ label, state, zone, now }: { label: string | undefined; state: OpenNow; zone: string; now: number }) {
  // The answer holds until changesAt; past it (before the refetch lands) the state has flipped once.
  const { t, f, lang } = useI18n();
  const flipped = state.changesAt !== null && now >= Date.parse(state.changesAt);
  const open = flipped ? !state.open : state.open;
  const next = state.changesAt && !flipped ? localTime(zone, Date.parse(state.changesAt), lang) : null;
  return (
    <>
      {label ?? ''} ·{' '}
      <strong className={open ? 'ok' : 'closed'} data-open={open}>
        {open ? t.openNow : t.closedNow}
      </strong>
      {next && <span className="muted">, {f(open ? t.openUntil : t.opensAt, { time: next })}</span>}
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
  const { t, f } = useI18n();
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
      <span className="c-lang">{f(t.contactLanguage, { language })}</span>
    </>
  );
}

export function CustomerCard({ detail }: { detail: CaseDetail }) {
  const orgId = detail.orgId;
  const { t, f, lang } = useI18n();
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
      <h2 id="customer-h">{t.customerCard}</h2>
      <ProblemAlert error={org.error ?? people.error ?? hours.error ?? contacts.error ?? sam.error} />
      {!o ? (
        <p className="muted">{org.isLoading ? t.loading : '—'}</p>
      ) : (
        <dl className="facts two">
          <dt>{t.organisation}</dt>
          <dd data-testid="customer-org">{o.name}</dd>
          <dt>{t.program}</dt>
          <dd data-testid="customer-program">{word(t.programs, o.entitlement)}</dd>
          <dt>{t.supportId}</dt>
          <dd data-testid="customer-support-id">{o.supportId}</dd>
          <dt>{t.localTimeNow}</dt>
          <dd data-testid="customer-local-time">
            {localTime(o.timeZone, now, lang)} <span className="muted">({o.timeZone})</span>
          </dd>
          <dt>{t.businessHours}</dt>
          <dd data-testid="customer-business-hours">
            {cal ? <OpenState label={cal.businessCalendar.label} state={cal.now.businessHours} zone={o.timeZone} now={now} /> : '…'}
          </dd>
          <dt>{t.responseCoverage}</dt>
          <dd data-testid="customer-coverage">
            {cal ? <OpenState label={cal.coverage.label} state={cal.now.coverage} zone={o.timeZone} now={now} /> : '…'}
          </dd>
          <dt>{t.countryRegion}</dt>
          <dd>
            {o.country}
            {o.subdivision ? `-${o.subdivision}` : ''}, {o.marketRegion}
          </dd>
          <dt>{t.language}</dt>
          <dd>{languageName(o.language, lang)}</dd>
          {openedBy && (
            <>
              <dt>{t.openedBy}</dt>
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
              <dt>{t.partnerActing}</dt>
              <dd data-testid="customer-partner">
                {actingPartners.map((p) => (
                  <span key={p.id} className="person" data-person={p.id}>
                    {p.name} · <a href={`mailto:${p.email}`}>{p.email}</a> · <Phone number={p.phone} />
                  </span>
                ))}
              </dd>
            </>
          )}
          <dt>{t.accountManager}</dt>
          <dd>{sam.data ? `${sam.data.principal.name} <${sam.data.principal.email}>` : sam.isLoading ? '…' : t.none}</dd>
        </dl>
      )}
      <h3>{t.contacts}</h3>
      {people.data && own.length === 0 && contacts.data?.items.length === 0 && <p className="muted">{t.noContacts}</p>}
      <ul className="plain contacts" aria-label={t.contacts} data-testid="customer-contacts">
        {own.map((p) => (
          <li key={p.id} data-person={p.id}>
            <ContactLine
              id={p.id}
              name={p.name}
              role={word(t.roles, p.role)}
              email={p.email}
              phone={p.phone}
              language={languageName(detail.language, lang)}
            />
          </li>
        ))}
        {contacts.data?.items.map((c) => (
          <li key={c.id} data-contact={c.email}>
            <ContactLine
              id={c.id}
              name={c.name}
              role={t.notificationContact}
              email={c.email}
              phone={c.phone}
              language={
                c.language ? languageName(c.language, lang) : f(t.caseLanguageOf, { language: languageName(detail.language, lang) })
              }
            />
            {c.kinds && <span className="c-kinds muted">{c.kinds.map((k) => word(t.noticeKinds, k)).join(', ')}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
