/**
 * Open a case with a form that knows the organisation's program: the levels it offers with their response
 * targets (GET /v1/policy), the languages of its region, products and versions (GET /v1/products) and its
 * Support ID; a follow-up names the closed case it relates to (prefilled from `?related=<case id>`, the
 * link the closed-case mail can carry), a technical case whether it is about an experimental feature. The
 * API and workflow decide; a refusal is shown with its reason.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api } from '../server-api/client';
import type { CaseDetail, CaseSummary, CreateCase, Policy, Product } from '../server-api/types';
import { ProblemAlert } from '../components/ProblemAlert';
import { targetText, word } from '../format';
import { i18nFor, I18nContext, languageName, levelLabel, useI18n } from '../i18n';
import { useOrganisations } from './useOrganisations';

const TYPES = ['technical', 'licensing', 'general_inquiry'] as const;

export function OpenCaseForm() {
  const id = useId();
  const navigate = useNavigate();
  const { org, choose } = useOrganisations();
  const [params] = useSearchParams();
  // A follow-up link (?related=, from the closed-case mail) names no organisation: a partner's form opens
  // for the related case's.
  const related = params.get('related');
  const relatedCase = useQuery({
    queryKey: ['case', related],
    queryFn: () => api<CaseDetail>(`/v1/cases/${encodeURIComponent(related ?? '')}`),
    enabled: !!related && !params.get('org'),
    retry: false,
  });
  const relatedOrg = relatedCase.data?.orgId;
  useEffect(() => {
    if (relatedOrg && !params.get('org')) choose(relatedOrg);
  }, [relatedOrg, params, choose]);
  const policy = useQuery({ queryKey: ['policy'], queryFn: () => api<Policy>('/v1/policy'), staleTime: Infinity });
  const products = useQuery({ queryKey: ['products'], queryFn: () => api<{ items: Product[] }>('/v1/products'), staleTime: 60_000 });
  const entitlement = policy.data?.entitlements.find((e) => e.id === org?.entitlement);
  const languages = (org && policy.data?.regionLanguages[org.marketRegion]) ?? ['en'];
  const [form, setForm] = useState({
    type: 'technical',
    level: '',
    product: '',
    version: '',
    build: '',
    title: '',
    description: '',
    language: '',
    relatedCaseId: params.get('related') ?? '',
  });
  const [experimental, setExperimental] = useState(false);
  const set = (k: keyof typeof form, v: string) => setForm((f) => ({ ...f, [k]: v }));
  const chrome = useI18n();
  const i18n = i18nFor(org?.language);
  const { t } = i18n;
  const product = products.data?.items.find((p) => p.id === form.product);
  const levels = useMemo(() => Object.entries(entitlement?.targets ?? {}), [entitlement]);
  const open = useMutation({
    mutationFn: (body: CreateCase) =>
      api<CaseSummary>('/v1/cases', { method: 'POST', body, headers: { 'Idempotency-Key': `console-${crypto.randomUUID()}` } }),
    onSuccess: (c) => navigate(`/cases/${c.id}`),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!org || !entitlement) return;
    const levelIndex = levels.findIndex(([label]) => label === form.level);
    const body: CreateCase = {
      orgId: org.id,
      supportId: org.supportId,
      type: form.type as CreateCase['type'],
      title: form.title,
      description: form.description,
      language: form.language || (languages.includes(org.language) ? org.language : languages[0]),
    };
    if (levelIndex >= 0) {
      if (entitlement.scheme === 'priority') body.priority = `P${levelIndex + 1}` as CreateCase['priority'];
      else body.severity = levelIndex + 1;
    }
    if (form.product) Object.assign(body, { product: form.product, version: form.version, build: form.build });
    if (form.relatedCaseId.trim()) body.relatedCaseId = form.relatedCaseId.trim();
    if (form.type === 'technical' && experimental) body.experimentalFeature = true;
    open.mutate(body);
  }

  if (!org || !entitlement) return <p role="status">{chrome.t.loading}</p>;
  const f = (name: string) => `${id}-${name}`;
  return (
    <I18nContext.Provider value={i18n}>
      <section lang={i18n.lang} aria-labelledby={f('h')}>
        <h1 id={f('h')}>
          {t.openCase} — {org.name}
        </h1>
        <p className="muted">
          {t.program}: {word(t.programs, entitlement.id)} · {t.supportId} {org.supportId} · <span lang="en">{entitlement.coverage}</span>
        </p>
        <form className="card open-case" onSubmit={submit}>
          <div className="field">
            <label htmlFor={f('type')}>{t.type}</label>
            <select id={f('type')} value={form.type} onChange={(e) => set('type', e.target.value)}>
              {TYPES.map((ty) => (
                <option key={ty} value={ty}>
                  {t[ty]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={f('level')}>{entitlement.scheme === 'priority' ? t.priority : t.severity}</label>
            <select
              id={f('level')}
              value={form.level}
              onChange={(e) => set('level', e.target.value)}
              required={form.type !== 'general_inquiry'}
            >
              <option value="">—</option>
              {levels.map(([label, target]) => (
                <option key={label} value={label}>
                  {levelLabel(label, i18n)} ({targetText(target, i18n)})
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={f('product')}>{t.product}</label>
            <select
              id={f('product')}
              value={form.product}
              onChange={(e) => setForm((s) => ({ ...s, product: e.target.value, version: '', build: '' }))}
            >
              <option value="">—</option>
              {products.data?.items.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={f('version')}>{t.version}</label>
            <select
              id={f('version')}
              value={form.version}
              onChange={(e) =>
                setForm((s) => ({
                  ...s,
                  version: e.target.value,
                  build: product?.versions.find((v) => v.version === e.target.value)?.latestBuild ?? '',
                }))
              }
            >
              <option value="">—</option>
              {product?.versions.map((v) => (
                <option key={v.version} value={v.version}>
                  {v.version} ({word(t.lifecycles, v.lifecycle)})
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={f('build')}>{t.build}</label>
            <input id={f('build')} value={form.build} onChange={(e) => set('build', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={f('language')}>{t.language}</label>
            <select
              id={f('language')}
              value={form.language || (languages.includes(org.language) ? org.language : languages[0])}
              onChange={(e) => set('language', e.target.value)}
            >
              {languages.map((l) => (
                <option key={l} value={l} lang={l}>
                  {languageName(l, i18n.lang)}
                </option>
              ))}
            </select>
          </div>
          {form.type === 'technical' && (
            <div className="field checkbox wide">
              <input id={f('experimental')} type="checkbox" checked={experimental} onChange={(e) => setExperimental(e.target.checked)} />
              <label htmlFor={f('experimental')}>{t.experimentalFeatureHint}</label>
            </div>
          )}
          <div className="field wide">
            <label htmlFor={f('related')}>{t.relatedCase}</label>
            <input
              id={f('related')}
              value={form.relatedCaseId}
              aria-describedby={f('related-hint')}
              pattern="[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
              onChange={(e) => set('relatedCaseId', e.target.value)}
            />
            <span className="muted" id={f('related-hint')}>
              {t.relatedCaseHint}
            </span>
          </div>
          <div className="field wide">
            <label htmlFor={f('title')}>{t.title}</label>
            <input id={f('title')} value={form.title} required maxLength={200} onChange={(e) => set('title', e.target.value)} />
          </div>
          <div className="field wide">
            <label htmlFor={f('description')}>{t.description}</label>
            <textarea
              id={f('description')}
              value={form.description}
              required
              rows={4}
              onChange={(e) => set('description', e.target.value)}
            />
          </div>
          <button type="submit" disabled={open.isPending}>
            {t.submit}
          </button>
          <ProblemAlert error={open.error} />
        </form>
      </section>
    </I18nContext.Provider>
  );
}
