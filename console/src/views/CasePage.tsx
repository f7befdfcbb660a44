/**
 * One case: facts (the related case, the policy version, an experimental feature with its support
 * limitations, the resolution with its referral), for staff who the customer is, every clock with due time
 * and explanation, the timeline, and exactly the action forms the API offers the caller now (`actions`).
 * Customers see it in the case's language (English or German chrome).
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, ApiError } from '../server-api/client';
import type { CaseDetail, PhoneSession, Policy } from '../server-api/types';
import { ActionForm } from '../components/ActionForm';
import { AttachmentList } from '../components/AttachmentList';
import { ClockList } from '../components/ClockList';
import { PolicyMigrations } from '../components/PolicyMigrations';
import { ProblemAlert } from '../components/ProblemAlert';
import { SlaBadge } from '../components/SlaBadge';
import { Timeline } from '../components/Timeline';
import { formatInstant, humanize, viewerZone } from '../format';
import { I18nContext, levelLabel, messagesFor, supportedLanguage } from '../i18n';
import { isStaff, useSession } from '../session';
import { actionForms } from './caseActions';
import { CustomerCard } from './CustomerCard';
import { PageStatus } from './PagesWaiting';

function PhoneRouting({ caseId }: { caseId: string }) {
  const route = useMutation({
    mutationFn: () => api<PhoneSession>(`/v1/cases/${caseId}/phone-sessions`, { method: 'POST', body: {} }),
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
  const forms = actionForms(c.actions ?? [], me, scheme, t);
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
          <dt>{t.policyVersion}</dt>
          <dd data-testid="case-policy-version">{c.policyVersion}</dd>
          {c.relatedCaseId && (
            <>
              <dt>{t.relatedCase}</dt>
              <dd data-testid="case-related">
                <Link to={`/cases/${c.relatedCaseId}`}>{c.relatedCaseId}</Link>
              </dd>
            </>
          )}
          {c.experimentalFeature && (
            <>
              <dt>{t.experimentalFeature}</dt>
              <dd data-testid="case-experimental">{t.yes}</dd>
            </>
          )}
          {c.resolution && (
            <>
              <dt>{t.resolution}</dt>
              <dd data-testid="case-resolution">
                {humanize(c.resolution.type)}: {c.resolution.summary}
              </dd>
            </>
          )}
          {c.resolution?.referral && (
            <>
              <dt>{t.referral}</dt>
              <dd data-testid="case-referral">
                {humanize(c.resolution.referral.category)}, {t.referredTo} {humanize(c.resolution.referral.referredTo)}:{' '}
                {c.resolution.referral.explanation}
              </dd>
            </>
          )}
        </dl>
        {c.supportLimitations && (
          <p className="limitations" data-testid="case-support-limitations">
            <strong>{t.supportLimitations}:</strong> {c.supportLimitations}
          </p>
        )}
        <p className="description">{c.description}</p>
        {staff && <CustomerCard detail={c} />}
        <div className="columns">
          <section aria-labelledby="deadlines-h">
            <h2 id="deadlines-h">{t.deadlines}</h2>
            <p className="muted">
              {t.datesIn} {viewerZone()}
            </p>
            <ClockList clocks={c.sla} locale={lang} />
            <PolicyMigrations migrations={c.policyMigrations} locale={lang} />
            <AttachmentList caseId={c.id} />
            <h2>{t.timeline}</h2>
            <Timeline detail={c} locale={lang} />
          </section>
          <section aria-labelledby="actions-h" className="actions">
            <h2 id="actions-h">{t.actions}</h2>
            {staff && <PhoneRouting caseId={c.id} />}
            {forms.length === 0 && <p className="muted">{t.noActions}</p>}
            {!staff && c.status === 'closed' && (
              <Link className="button" to={`/portal/new?org=${encodeURIComponent(c.orgId)}&related=${c.id}`}>
                {t.followUp}
              </Link>
            )}
            {forms.map((spec) => (
              <ActionForm key={`${spec.command}-${spec.title}`} caseId={c.id} spec={spec} />
            ))}
          </section>
        </div>
      </article>
    </I18nContext.Provider>
  );
}
