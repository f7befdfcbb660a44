/**
 * One case: facts, every clock with due time and explanation, the timeline, and the action forms the
 * signed-in role may use. Customers see it in the case's language (English or German chrome).
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { api, ApiError } from '../server-api/client';
import type { CaseDetail, Policy } from '../server-api/types';
import { ActionForm } from '../components/ActionForm';
import { ClockList } from '../components/ClockList';
import { ProblemAlert } from '../components/ProblemAlert';
import { SlaBadge } from '../components/SlaBadge';
import { Timeline } from '../components/Timeline';
import { formatInstant, humanize, viewerZone } from '../format';
import { I18nContext, levelLabel, messagesFor, supportedLanguage } from '../i18n';
import { isStaff, useSession } from '../session';
import { actionsFor } from './caseActions';
import { PageStatus } from './PagesWaiting';

function PhoneRouting({ caseId }: { caseId: string }) {
  const route = useMutation({
    mutationFn: () =>
      api<{ queue: string; language: string; reason: string; preferredEngineer: { name: string } | null }>(
        `/v1/cases/${caseId}/phone-sessions`,
        {
          method: 'POST',
          body: {},
        },
      ),
  });
  return (
    <div className="phone">
      <button type="button" onClick={() => route.mutate()}>
        Phone routing
      </button>
      {route.data && (
        <p role="status">
          Eligible: queue <strong>{route.data.queue}</strong>, language {route.data.language}, preferred engineer{' '}
          {route.data.preferredEngineer?.name ?? 'none'}. {route.data.reason}
        </p>
      )}
      <ProblemAlert error={route.error} />
    </div>
  );
}

export function CasePage() {
  const { ref = '' } = useParams();
  const { me } = useSession();
  const detail = useQuery({ queryKey: ['case', ref], queryFn: () => api<CaseDetail>(`/v1/cases/${encodeURIComponent(ref)}`) });
  const policy = useQuery({ queryKey: ['policy'], queryFn: () => api<Policy>('/v1/policy'), staleTime: Infinity });
  if (detail.error instanceof ApiError && detail.error.problem.status === 404)
    return (
      <div role="alert" className="problem" data-testid="case-not-found">
        Case not found, or not visible to you.
      </div>
    );
  if (!detail.data || !me) return detail.error ? <ProblemAlert error={detail.error} /> : <p role="status">Loading…</p>;
  const c = detail.data;
  const staff = isStaff(me);
  const lang = staff ? 'en' : supportedLanguage(c.language);
  const t = messagesFor(lang);
  const scheme = policy.data?.entitlements.find((e) => e.id === c.program)?.scheme ?? 'severity';
  return (
    <I18nContext.Provider value={{ lang, t }}>
      <article className="case" lang={lang} data-status={c.status}>
        <h1>
          {t.case} #{c.number}: {c.title}
        </h1>
        <dl className="facts">
          <dt>{t.status}</dt>
          <dd data-testid="case-status" data-value={c.status}>
            {t.statuses[c.status] ?? humanize(c.status)}
          </dd>
          <dt>SLA</dt>
          <dd>
            <SlaBadge state={c.slaState} />
          </dd>
          <dt>{scheme === 'priority' ? t.priority : t.severity}</dt>
          <dd>{levelLabel(c.levelLabel, t)}</dd>
          <dt>{t.program}</dt>
          <dd>{humanize(c.program)}</dd>
          <dt>{t.product}</dt>
          <dd>{c.product ? `${c.product.id} ${c.product.version ?? ''} (${c.product.build ?? ''})` : '—'}</dd>
          <dt>Owner</dt>
          <dd>{c.ownerId ?? '—'}</dd>
          {staff && c.page && (
            <>
              <dt>Severity 1 page</dt>
              <dd data-testid="case-page-state">
                <PageStatus page={c.page} />
              </dd>
            </>
          )}
          <dt>Opened</dt>
          <dd>{formatInstant(c.openedAt, lang)}</dd>
          {c.resolution && (
            <>
              <dt>{t.resolution}</dt>
              <dd>
                {humanize(c.resolution.type)}: {c.resolution.summary}
              </dd>
            </>
          )}
        </dl>
        <p className="description">{c.description}</p>
        <div className="columns">
          <section aria-labelledby="deadlines-h">
            <h2 id="deadlines-h">{t.deadlines}</h2>
            <p className="muted">
              {t.datesIn} {viewerZone()}
            </p>
            <ClockList clocks={c.sla} locale={lang} />
            <h2>{t.timeline}</h2>
            <Timeline detail={c} locale={lang} />
          </section>
          <section aria-labelledby="actions-h" className="actions">
            <h2 id="actions-h">{t.actions}</h2>
            {staff && <PhoneRouting caseId={c.id} />}
            {actionsFor(me, scheme, c.severity, t).map((spec) => (
              <ActionForm key={`${spec.path}-${spec.title}`} caseId={c.id} spec={spec} />
            ))}
          </section>
        </div>
      </article>
    </I18nContext.Provider>
  );
}
