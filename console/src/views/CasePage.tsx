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
import { formatInstant, viewerZone, word } from '../format';
import { i18nFor, I18nContext, levelLabel, useI18n } from '../i18n';
import { isStaff, useSession } from '../session';
import { actionForms } from './caseActions';
import { CustomerCard } from './CustomerCard';
import { PageStatus } from './PagesWaiting';

function PhoneRouting({ caseId }: { caseId: string }) {
  const { t, f } = useI18n();
  const route = useMutation({
    mutationFn: () => api<PhoneSession>(`/v1/cases/${caseId}/phone-sessions`, { method: 'POST', body: {} }),
  });
  return (
    <div className="phone">
      <button type="button" onClick={() => route.mutate()}>
        {t.phoneRouting}
      </button>
      {route.data && (
        <p role="status">
          {route.data.eligible
            ? f(t.phoneEligible, {
                queue: route.data.queue ?? '—',
                language: route.data.language ?? '—',
                engineer: route.data.preferredEngineer?.name ?? t.none,
              })
            : t.phoneNotEligible}{' '}
          <span lang="en">{route.data.reason}</span>
        </p>
      )}
      <ProblemAlert error={route.error} />
    </div>
  );
}

export function CasePage() {
  const { ref = '' } = useParams();
  const { me } = useSession();
  const chrome = useI18n();
  const detail = useQuery({ queryKey: ['case', ref], queryFn: () => api<CaseDetail>(`/v1/cases/${encodeURIComponent(ref)}`) });
  const policy = useQuery({ queryKey: ['policy'], queryFn: () => api<Policy>('/v1/policy'), staleTime: Infinity });
  if (detail.error instanceof ApiError && detail.error.problem.status === 404)
    return (
      <div role="alert" className="problem" data-testid="case-not-found">
        {chrome.t.caseNotFound}
      </div>
    );
  if (!detail.data || !me) return detail.error ? <ProblemAlert error={detail.error} /> : <p role="status">{chrome.t.loading}</p>;
  const c = detail.data;
  const staff = isStaff(me);
  // Staff read the console in their chosen language, customers in the case's.
  const i18n = staff ? chrome : i18nFor(c.language);
  const { lang, t } = i18n;
  const scheme = policy.data?.entitlements.find((e) => e.id === c.program)?.scheme ?? 'severity';
  const forms = actionForms(c.actions ?? [], me, scheme, i18n);
  return (
    <I18nContext.Provider value={i18n}>
      <article className="case" lang={lang} data-status={c.status}>
        <h1>
          {t.case} #{c.number}: {c.title}
        </h1>
        <dl className="facts">
          <dt>{t.status}</dt>
          <dd data-testid="case-status" data-value={c.status}>
            {word(t.statuses, c.status)}
          </dd>
          <dt>{t.sla}</dt>
          <dd data-testid="case-sla">
            <SlaBadge state={c.slaState} />
          </dd>
          <dt>{scheme === 'priority' ? t.priority : t.severity}</dt>
          <dd>{levelLabel(c.levelLabel, i18n)}</dd>
          <dt>{t.program}</dt>
          <dd>{word(t.programs, c.program)}</dd>
          <dt>{t.product}</dt>
          <dd>{c.product ? `${c.product.id} ${c.product.version ?? ''} (${c.product.build ?? ''})` : '—'}</dd>
          <dt>{t.owner}</dt>
          <dd>{c.ownerId ?? '—'}</dd>
          {staff && c.page && (
            <>
              <dt>{t.severity1Page}</dt>
              <dd data-testid="case-page-state">
                <PageStatus page={c.page} />
              </dd>
            </>
          )}
          <dt>{t.opened}</dt>
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
                {word(t.resolutionTypes, c.resolution.type)}: {c.resolution.summary}
              </dd>
            </>
          )}
          {c.resolution?.referral && (
            <>
              <dt>{t.referral}</dt>
              <dd data-testid="case-referral">
                {word(t.outOfScope, c.resolution.referral.category)}, {t.referredTo}{' '}
                {word(t.referralTargets, c.resolution.referral.referredTo)}: <span lang="en">{c.resolution.referral.explanation}</span>
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
            <ClockList clocks={c.sla} />
            <PolicyMigrations migrations={c.policyMigrations} locale={lang} />
            <AttachmentList caseId={c.id} />
            <h2>{t.timeline}</h2>
            <Timeline detail={c} />
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
