/**
 * Move open cases to a published version: select them (organisations, programs, level now, opened range) and
 * the version, run the preview (every running clock's old and new due instant and state, what breaches at
 * once, the totals; CSV and JSON exports), then apply it after confirming, with progress and cancel; the
 * apply lists each case's outcome beside what the preview said, and the cases it left alone and why.
 * Starting, applying and cancelling are for administrators (the API's rule; managers follow runs).
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../server-api/client';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatInstant, humanize } from '../../format';
import type { Organisation } from '../../server-api/types';
import { fill, usePolicyText, wordOf } from '../../i18n/policy-view';
import {
  LEVELS,
  type ApplyCase,
  type PolicyMigration,
  type PolicyVersion,
  type PreviewRow,
  type PreviewTotals,
  type ProgramId,
} from './types';
import { download, RunProgress, useProgramName, useRun } from './runs';

const dayStart = (date: string) => (date ? new Date(`${date}T00:00:00`).toISOString() : undefined);
const dayEnd = (date: string) => (date ? new Date(`${date}T23:59:59.999`).toISOString() : undefined);
const runPath = (id: string | null) => (id ? `/v1/policy/migrations/${id}` : null);
const finished = (r: PolicyMigration | undefined) => !!r && r.status !== 'running' && r.result !== null;

function useCases<T>(run: PolicyMigration | undefined) {
  return useQuery({
    queryKey: ['policy-run-cases', run?.id, run?.status],
    queryFn: () => api<{ items: T[]; total: number }>(`/v1/policy/migrations/${run!.id}/cases`),
    enabled: finished(run),
  });
}

export function MigrationPanel({ versions, admin, lang }: { versions: PolicyVersion[]; admin: boolean; lang: string }) {
  const { t } = usePolicyText();
  const [params, setParams] = useSearchParams();
  const programName = useProgramName();
  const orgs = useQuery({
    queryKey: ['organisations'],
    queryFn: () => api<{ items: Organisation[] }>('/v1/organisations'),
    staleTime: 60_000,
  });
  const programs = Object.keys(versions[0]?.document.programs ?? {}) as ProgramId[];
  const [toVersion, setToVersion] = useState<number>(versions[versions.length - 1]?.version ?? 1);
  const [sel, setSel] = useState({ orgIds: [] as string[], programs: [] as string[], levels: [] as number[], from: '', to: '' });
  const [confirming, setConfirming] = useState(false);
  const setRun = (key: 'preview' | 'apply', id: string | null) => {
    const next = new URLSearchParams(params);
    if (id) next.set(key, id);
    else next.delete(key);
    if (key === 'preview') next.delete('apply');
    setParams(next, { replace: true });
  };
  const previewId = params.get('preview');
  const applyId = params.get('apply');
  const preview = useRun<PolicyMigration>(runPath(previewId));
  const apply = useRun<PolicyMigration>(runPath(applyId));
  const rows = useCases<PreviewRow>(preview.data);
  const applied = useCases<ApplyCase>(apply.data);

  const start = useMutation({
    mutationFn: () =>
      api<PolicyMigration>('/v1/policy/migrations', {
        method: 'POST',
        body: {
          toVersion,
          selection: {
            ...(sel.orgIds.length ? { orgIds: sel.orgIds } : {}),
            ...(sel.programs.length ? { programs: sel.programs } : {}),
            ...(sel.levels.length ? { levels: sel.levels } : {}),
            ...(sel.from ? { openedFrom: dayStart(sel.from) } : {}),
            ...(sel.to ? { openedTo: dayEnd(sel.to) } : {}),
          },
        },
      }),
    onSuccess: (r) => setRun('preview', r.id),
  });
  const startApply = useMutation({
    mutationFn: () => api<PolicyMigration>(`/v1/policy/migrations/${previewId}/apply`, { method: 'POST', body: {} }),
    onSuccess: (r) => {
      setConfirming(false);
      setRun('apply', r.id);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate();
  };
  const exported = useMutation({ mutationFn: ({ path, name }: { path: string; name: string }) => download(path, name) });
  const toggle = <V,>(list: V[], v: V) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
  const totals = (preview.data?.result as { totals?: PreviewTotals } | null | undefined)?.totals;
  const target = preview.data?.target;
  const toApply = (rows.data?.items ?? []).filter((r) => !r.refused).length;

  return (
    <section className="card policy-migration" aria-labelledby="migration-h">
      <h2 id="migration-h">{t.migration}</h2>
      {!admin && <p className="muted">{t.migrationAdminsOnly}</p>}
      <form onSubmit={submit} className="policy-form">
        <fieldset className="toolbar">
          <legend>{t.cases}</legend>
          <label>
            {t.organisations}
            <select
              multiple
              size={4}
              value={sel.orgIds}
              onChange={(e) => setSel({ ...sel, orgIds: [...e.target.selectedOptions].map((o) => o.value) })}
              data-testid="migration-orgs"
            >
              {(orgs.data?.items ?? []).map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
            <span className="muted">{sel.orgIds.length === 0 ? t.allOrganisations : ''}</span>
          </label>
          <fieldset>
            <legend>{t.programs}</legend>
            {programs.map((p) => (
              <label key={p} className="check">
                <input
                  type="checkbox"
                  checked={sel.programs.includes(p)}
                  onChange={() => setSel({ ...sel, programs: toggle(sel.programs, p) })}
                />{' '}
                {programName(p)}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>{t.levels}</legend>
            {LEVELS.map((l) => (
              <label key={l} className="check">
                <input
                  type="checkbox"
                  checked={sel.levels.includes(l)}
                  onChange={() => setSel({ ...sel, levels: toggle(sel.levels, l) })}
                />{' '}
                {l}
              </label>
            ))}
          </fieldset>
          <label>
            {t.openedFrom}
            <input type="date" value={sel.from} onChange={(e) => setSel({ ...sel, from: e.target.value })} />
          </label>
          <label>
            {t.openedTo}
            <input type="date" value={sel.to} onChange={(e) => setSel({ ...sel, to: e.target.value })} />
          </label>
        </fieldset>
        <div className="toolbar">
          <label>
            {t.toVersion}
            <select value={toVersion} onChange={(e) => setToVersion(Number(e.target.value))} data-testid="migration-version">
              {versions.map((v) => (
                <option key={v.version} value={v.version}>
                  {v.version} ({v.key}): {v.note}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={!admin || start.isPending} data-testid="migration-preview">
            {t.preview}
          </button>
        </div>
        <ProblemAlert error={start.error} />
      </form>

      {preview.data && previewId && (
        <div data-testid="preview" data-status={preview.data.status}>
          <h3>
            {t.previewHeading}: {target?.key}
          </h3>
          <RunProgress run={preview.data} path={runPath(previewId)!} label={t.progress} mayCancel={admin} />
          {totals && (
            <p data-testid="preview-totals">
              <strong>{t.totals}:</strong> {fill(t.totalsLine, { ...totals })}
            </p>
          )}
          <ProblemAlert error={rows.error} />
          {rows.data && (
            <>
              <div className="toolbar">
                <button
                  type="button"
                  onClick={() =>
                    exported.mutate({ path: `/v1/policy/migrations/${previewId}/cases.csv`, name: `policy-migration-${previewId}.csv` })
                  }
                >
                  {t.exportCsv}
                </button>
                <button
                  type="button"
                  onClick={() =>
                    exported.mutate({ path: `/v1/policy/migrations/${previewId}/cases`, name: `policy-migration-${previewId}.json` })
                  }
                >
                  {t.exportJson}
                </button>
              </div>
              <ProblemAlert error={exported.error} />
              <PreviewTable rows={rows.data.items} lang={lang} />
              {admin && preview.data.status === 'completed' && !applyId && (
                <div className="confirm">
                  {!confirming ? (
                    <button type="button" onClick={() => setConfirming(true)} disabled={toApply === 0} data-testid="migration-apply">
                      {fill(t.apply, { n: toApply })}
                    </button>
                  ) : (
                    <div role="alertdialog" aria-labelledby="confirm-h" aria-describedby="confirm-b" className="card confirm-box">
                      <h4 id="confirm-h">{t.confirmTitle}</h4>
                      <p id="confirm-b">{fill(t.confirmBody, { version: target?.key ?? '' })}</p>
                      <button
                        type="button"
                        onClick={() => startApply.mutate()}
                        disabled={startApply.isPending}
                        data-testid="migration-confirm"
                      >
                        {t.confirmApply}
                      </button>{' '}
                      <button type="button" onClick={() => setConfirming(false)}>
                        {t.keep}
                      </button>
                    </div>
                  )}
                  <ProblemAlert error={startApply.error} />
                </div>
              )}
            </>
          )}
        </div>
      )}

      {apply.data && applyId && (
        <div data-testid="apply" data-status={apply.data.status}>
          <h3>{t.applyHeading}</h3>
          <RunProgress run={apply.data} path={runPath(applyId)!} label={t.progress} mayCancel={admin} />
          <ProblemAlert error={applied.error} />
          {applied.data && <ApplyTable cases={applied.data.items} previewed={rows.data?.items ?? []} lang={lang} />}
        </div>
      )}
    </section>
  );
}

/** Rows rendered at first and per "show more": a preview holds up to 20,000 cases (the exports hold all). */
const PAGE = 200;

const SHOW = {
  all: () => true,
  earlier: (r: PreviewRow) => r.earlier,
  breaches: (r: PreviewRow) => r.breachesAtOnce,
  refused: (r: PreviewRow) => r.refused !== null,
} as const;

function ShowMore({ shown, total, more }: { shown: number; total: number; more: () => void }) {
  const { t } = usePolicyText();
  if (shown >= total) return null;
  return (
    <p>
      <span className="muted">{fill(t.shownOf, { shown, total })}</span>{' '}
      <button type="button" onClick={more}>
        {fill(t.showMore, { n: Math.min(PAGE, total - shown) })}
      </button>
    </p>
  );
}

function PreviewTable({ rows, lang }: { rows: PreviewRow[]; lang: string }) {
  const { t } = usePolicyText();
  const programName = useProgramName();
  const [show, setShow] = useState<keyof typeof SHOW>('all');
  const [limit, setLimit] = useState(PAGE);
  const picked = rows.filter(SHOW[show]);
  return (
    <>
      <label>
        {t.showCases}{' '}
        <select
          value={show}
          onChange={(e) => {
            setShow(e.target.value as keyof typeof SHOW);
            setLimit(PAGE);
          }}
          data-testid="preview-filter"
        >
          {(Object.keys(SHOW) as (keyof typeof SHOW)[]).map((k) => (
            <option key={k} value={k}>
              {t.showWhich[k]}
            </option>
          ))}
        </select>
      </label>
      <table data-testid="preview-cases">
        <thead>
          <tr>
            <th scope="col">{t.caseCol}</th>
            <th scope="col">
              {t.program}, {t.level}
            </th>
            <th scope="col">{t.clock}</th>
            <th scope="col">{t.state}</th>
            <th scope="col">{t.oldDue}</th>
            <th scope="col">{t.newDue}</th>
            <th scope="col">{t.target}</th>
          </tr>
        </thead>
        <tbody>
          {picked.slice(0, limit).flatMap((r) => {
            const head = (
              <>
                <td>
                  <Link to={`/cases/${r.caseId}`}>{r.caseId.slice(0, 8)}</Link>
                  <div className="muted">
                    {r.fromVersion} → {r.toVersion}
                  </div>
                </td>
                <td>
                  {programName(r.program)} {r.level}
                </td>
              </>
            );
            if (r.refused || r.clocks.length === 0)
              return [
                <tr key={r.caseId} data-case={r.caseId} data-refused={r.refused ? 'true' : 'false'}>
                  {head}
                  <td colSpan={5} className="muted">
                    {r.refused ? `${t.refusedCol}: ${r.refused}` : t.noRunningClock}
                  </td>
                </tr>,
              ];
            return r.clocks.map((k) => (
              <tr
                key={`${r.caseId}-${k.clock}`}
                data-case={r.caseId}
                data-clock={k.clock}
                data-breaches={k.breachesAtOnce ? 'true' : 'false'}
              >
                {head}
                <td>{wordOf(t.clocks, k.clock)}</td>
                <td>
                  {humanize(k.oldState)} → {humanize(k.state)}
                </td>
                <td data-testid="old-due" data-value={k.oldDueAt ?? ''}>
                  {formatInstant(k.oldDueAt, lang)}
                </td>
                <td data-testid="new-due" data-value={k.newDueAt ?? ''}>
                  {k.breachesAtOnce ? <strong className="badge sla-breached">{t.breachesAtOnce}</strong> : formatInstant(k.newDueAt, lang)}
                </td>
                <td>
                  {k.oldTarget} → {k.newTarget}
                </td>
              </tr>
            ));
          })}
        </tbody>
      </table>
      <ShowMore shown={Math.min(limit, picked.length)} total={picked.length} more={() => setLimit((l) => l + PAGE)} />
    </>
  );
}

function ApplyTable({ cases, previewed, lang }: { cases: ApplyCase[]; previewed: PreviewRow[]; lang: string }) {
  const { t } = usePolicyText();
  const byId = new Map(previewed.map((r) => [r.caseId, r]));
  const left = cases.filter((c) => c.outcome !== 'migrated');
  const [limit, setLimit] = useState(PAGE);
  // The cases left alone first: they are what needs a look.
  const ordered = [...left, ...cases.filter((c) => c.outcome === 'migrated')];
  return (
    <>
      <p data-testid="apply-counts">
        {Object.entries(cases.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c.outcome]: (acc[c.outcome] ?? 0) + 1 }), {}))
          .map(([o, n]) => `${wordOf(t.outcomes, o)}: ${n}`)
          .join(' · ')}
      </p>
      {left.length > 0 && <p className="problem">{fill(t.refusedCases, { n: left.length })}</p>}
      <table data-testid="apply-cases">
        <thead>
          <tr>
            <th scope="col">{t.caseCol}</th>
            <th scope="col">{t.outcome}</th>
            <th scope="col">{t.previewedDue}</th>
            <th scope="col">{t.appliedDue}</th>
            <th scope="col">{t.reason}</th>
          </tr>
        </thead>
        <tbody>
          {ordered.slice(0, limit).map((c) => {
            const fr = byId.get(c.caseId)?.clocks.find((k) => k.clock === 'firstResponse');
            return (
              <tr key={c.caseId} data-case={c.caseId} data-outcome={c.outcome}>
                <td>
                  <Link to={`/cases/${c.caseId}`}>{c.caseId.slice(0, 8)}</Link>
                </td>
                <td>
                  <strong>{wordOf(t.outcomes, c.outcome)}</strong>
                </td>
                <td>{fr ? (fr.breachesAtOnce ? t.breachesAtOnce : formatInstant(fr.newDueAt, lang)) : '—'}</td>
                <td data-testid="applied-due" data-value={c.firstResponseDueAt ?? ''}>
                  {formatInstant(c.firstResponseDueAt, lang)}
                </td>
                <td>{c.reason ?? ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ShowMore shown={Math.min(limit, ordered.length)} total={ordered.length} more={() => setLimit((l) => l + PAGE)} />
    </>
  );
}
