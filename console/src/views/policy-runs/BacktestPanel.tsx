/**
 * Build a candidate and back-test it: a base version, targets per program and level, coverage hours, closed
 * dates (simple controls that write into a JSON patch, which stays editable for the rest of the document),
 * the range; then progress, cancel and the report (met and breached per program and level, the flips).
 * The API validates the candidate and names the field it refuses; nothing is decided here.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../server-api/client';
import { ProblemAlert } from '../../components/ProblemAlert';
import type { Organisation } from '../../server-api/types';
import { durationMs, formatInstant, humanize } from '../../format';
import { fill, usePolicyText } from '../../i18n/policy-view';
import {
  LEVELS,
  type Backtest,
  type BacktestReport,
  type PolicyTarget,
  type PolicyVersion,
  type ProgramId,
  type SideSummary,
} from './types';
import { RunProgress, useProgramName, useRun } from './runs';

const HOUR = 3_600_000;
/** Moves listed on screen; the report holds more (all counted). */
const MOVES_SHOWN = 200;
const KINDS = ['wall', 'business', 'business_days', 'best_effort', 'not_available'] as const;

type Patch = { programs?: Record<string, { targets?: Record<string, PolicyTarget>; coverageWindows?: unknown }> } & Record<string, unknown>;

function parsePatch(text: string): { patch: Patch | null; error: string | null } {
  if (text.trim() === '') return { patch: {}, error: null };
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? { patch: v as Patch, error: null }
      : { patch: null, error: 'an object' };
  } catch (err) {
    return { patch: null, error: (err as Error).message };
  }
}

function targetFor(kind: (typeof KINDS)[number], amount: number): PolicyTarget {
  if (kind === 'wall' || kind === 'business') return { kind, ms: Math.round(amount * HOUR) };
  if (kind === 'business_days') return { kind, days: Math.round(amount) };
  return { kind };
}

const dayStart = (date: string) => (date ? new Date(`${date}T00:00:00`).toISOString() : undefined);
const dayEnd = (date: string) => (date ? new Date(`${date}T23:59:59.999`).toISOString() : undefined);
const pct = (s: SideSummary) => (s.achievement === null ? '—' : `${Math.round(s.achievement * 1000) / 10} %`);

export function BacktestPanel({ versions, lang }: { versions: PolicyVersion[]; lang: string }) {
  const { t } = usePolicyText();
  const [params, setParams] = useSearchParams();
  const programName = useProgramName();
  const programs = Object.keys(versions[0]?.document.programs ?? {}) as ProgramId[];
  // The programs as options, in the page's language: the target, hours and range selects all offer them.
  const programOptions = programs.map((p) => (
    <option key={p} value={p}>
      {programName(p)}
    </option>
  ));
  const inForce = versions.find((v) => v.inForce) ?? versions[versions.length - 1];
  const [base, setBase] = useState<number>(inForce?.version ?? 1);
  const [program, setProgram] = useState<ProgramId>('production');
  const [level, setLevel] = useState(2);
  const [kind, setKind] = useState<(typeof KINDS)[number]>('wall');
  const [amount, setAmount] = useState('1');
  const [hoursProgram, setHoursProgram] = useState<ProgramId>('basic');
  const [from, setFrom] = useState('09:00');
  const [to, setTo] = useState('17:00');
  const [closedDate, setClosedDate] = useState('');
  const [closedDates, setClosedDates] = useState<string[]>([]);
  const [patchText, setPatchText] = useState('{}');
  const [range, setRange] = useState({ from: '', to: '', programs: [] as string[], orgIds: [] as string[] });
  const orgs = useQuery({
    queryKey: ['organisations'],
    queryFn: () => api<{ items: Organisation[] }>('/v1/organisations'),
    staleTime: 60_000,
  });
  const parsed = parsePatch(patchText);

  const edit = (change: (p: Patch) => void) => {
    const p = structuredClone(parsed.patch ?? {});
    change(p);
    setPatchText(JSON.stringify(p, null, 2));
  };
  const setTarget = () =>
    edit((p) => {
      const progs = (p.programs ??= {});
      const prog = (progs[program] ??= {});
      (prog.targets ??= {})[String(level)] = targetFor(kind, Number(amount));
    });
  const setHours = () =>
    edit((p) => {
      const progs = (p.programs ??= {});
      (progs[hoursProgram] ??= {}).coverageWindows = [1, 2, 3, 4, 5].map((day) => ({ day, open: from, close: to }));
    });

  const runId = params.get('backtest');
  const path = runId ? `/v1/policy/backtests/${runId}` : null;
  const run = useRun<Backtest>(path);
  const start = useMutation({
    mutationFn: () =>
      api<Backtest>('/v1/policy/backtests', {
        method: 'POST',
        body: {
          candidate: { baseVersion: base, patch: parsed.patch, ...(closedDates.length ? { closedDates } : {}) },
          range: {
            ...(range.from ? { openedFrom: dayStart(range.from) } : {}),
            ...(range.to ? { openedTo: dayEnd(range.to) } : {}),
            ...(range.programs.length ? { programs: range.programs } : {}),
            ...(range.orgIds.length ? { orgIds: range.orgIds } : {}),
          },
        },
      }),
    onSuccess: (r) => {
      const next = new URLSearchParams(params);
      next.set('backtest', r.id);
      setParams(next, { replace: true });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (parsed.patch) start.mutate();
  };
  const report = run.data?.result as BacktestReport | null | undefined;

  return (
    <section className="card policy-backtest" aria-labelledby="backtest-h">
      <h2 id="backtest-h">{t.backtest}</h2>
      <form onSubmit={submit} className="policy-form">
        <div className="toolbar">
          <label>
            {t.baseVersion}
            <select value={base} onChange={(e) => setBase(Number(e.target.value))} data-testid="backtest-base">
              {versions.map((v) => (
                <option key={v.version} value={v.version}>
                  {v.version} ({v.key}){v.inForce ? `, ${t.inForce}` : ''}
                </option>
              ))}
            </select>
          </label>
        </div>
        <fieldset className="toolbar">
          <legend>{t.targetLegend}</legend>
          <label>
            {t.program}
            <select value={program} onChange={(e) => setProgram(e.target.value as ProgramId)}>
              {programOptions}
            </select>
          </label>
          <label>
            {t.level}
            <select value={level} onChange={(e) => setLevel(Number(e.target.value))}>
              {LEVELS.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t.targetKind}
            <select value={kind} onChange={(e) => setKind(e.target.value as (typeof KINDS)[number])}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t.kinds[k]}
                </option>
              ))}
            </select>
          </label>
          {(kind === 'wall' || kind === 'business' || kind === 'business_days') && (
            <label>
              {t.amount}
              <input type="number" min="0.25" step="0.25" value={amount} onChange={(e) => setAmount(e.target.value)} size={5} />
            </label>
          )}
          <button type="button" onClick={setTarget} disabled={!parsed.patch}>
            {t.setTarget}
          </button>
        </fieldset>
        <fieldset className="toolbar">
          <legend>{t.setHours}</legend>
          <label>
            {t.program}
            <select value={hoursProgram} onChange={(e) => setHoursProgram(e.target.value as ProgramId)}>
              {programOptions}
            </select>
          </label>
          <label>
            {t.coverageFrom}
            <input type="time" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            {t.coverageTo}
            <input type="time" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
          <button type="button" onClick={setHours} disabled={!parsed.patch}>
            {t.setHours}
          </button>
        </fieldset>
        <fieldset className="toolbar">
          <legend>{t.closedDates}</legend>
          <label>
            {t.closedDate}
            <input type="date" value={closedDate} onChange={(e) => setClosedDate(e.target.value)} />
          </label>
          <button type="button" disabled={!closedDate} onClick={() => setClosedDates((ds) => [...new Set([...ds, closedDate])].sort())}>
            {t.addClosedDate}
          </button>
          <ul className="plain inline" aria-label={t.closedDates}>
            {closedDates.map((d) => (
              <li key={d}>
                {d}{' '}
                <button type="button" className="link" onClick={() => setClosedDates((ds) => ds.filter((x) => x !== d))}>
                  {t.remove} {d}
                </button>
              </li>
            ))}
          </ul>
        </fieldset>
        <label style={{ display: 'block', marginTop: '0.5rem' }}>
          {t.patch}
          <textarea
            style={{ display: 'block', width: '100%', fontFamily: 'monospace' }}
            rows={8}
            value={patchText}
            onChange={(e) => setPatchText(e.target.value)}
            spellCheck={false}
            data-testid="backtest-patch"
            aria-describedby="patch-hint"
          />
        </label>
        <p className="muted" id="patch-hint">
          {t.patchHint}
        </p>
        {parsed.error && (
          <p role="alert" className="problem">
            {t.notJson} {parsed.error}
          </p>
        )}
        <fieldset className="toolbar">
          <legend>{t.cases}</legend>
          <label>
            {t.openedFrom}
            <input type="date" value={range.from} onChange={(e) => setRange({ ...range, from: e.target.value })} />
          </label>
          <label>
            {t.openedTo}
            <input type="date" value={range.to} onChange={(e) => setRange({ ...range, to: e.target.value })} />
          </label>
          <label>
            {t.programs}
            <select
              multiple
              size={3}
              value={range.programs}
              onChange={(e) => setRange({ ...range, programs: [...e.target.selectedOptions].map((o) => o.value) })}
            >
              {programOptions}
            </select>
          </label>
          <label>
            {t.organisations}
            <select
              multiple
              size={3}
              value={range.orgIds}
              onChange={(e) => setRange({ ...range, orgIds: [...e.target.selectedOptions].map((o) => o.value) })}
            >
              {(orgs.data?.items ?? []).map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={!parsed.patch || start.isPending} data-testid="backtest-run">
            {t.run}
          </button>
        </fieldset>
        <ProblemAlert error={start.error} />
      </form>
      {run.data && path && (
        <>
          <RunProgress run={run.data} path={path} label={t.progress} mayCancel />
          <h3>{t.changes}</h3>
          {run.data.changes.length === 0 ? (
            <p className="muted">{t.noChanges}</p>
          ) : (
            <ul className="plain" data-testid="backtest-changes">
              {run.data.changes.map((c) => (
                <li key={c.path}>
                  <code>{c.path}</code>: <code>{JSON.stringify(c.from)}</code> → <code>{JSON.stringify(c.to)}</code>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <ProblemAlert error={run.error} />
      {report && <Report report={report} partial={run.data?.status === 'cancelled'} lang={lang} />}
    </section>
  );
}

function Report({ report, partial, lang }: { report: BacktestReport; partial: boolean; lang: string }) {
  const { t } = usePolicyText();
  const programName = useProgramName();
  return (
    <div data-testid="backtest-report">
      <h3>{partial ? t.reportPartial : t.report}</h3>
      <table>
        <caption className="muted">
          {t.cases}: {report.cases}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t.program}</th>
            <th scope="col">{t.level}</th>
            <th scope="col">{t.cases}</th>
            <th scope="col">
              {t.before}: {t.met} / {t.breached} / {t.open}
            </th>
            <th scope="col">
              {t.after}: {t.met} / {t.breached} / {t.open}
            </th>
            <th scope="col">{t.achievement}</th>
          </tr>
        </thead>
        <tbody>
          {report.rows.map((r) => (
            <tr key={`${r.program}-${r.level}`} data-row={`${r.program}-${r.level}`}>
              <td>{programName(r.program)}</td>
              <td>{r.level}</td>
              <td>{r.cases}</td>
              <td>
                {r.before.met} / {r.before.breached} / {r.before.open}
              </td>
              <td>
                {r.after.met} / {r.after.breached} / {r.after.open}
              </td>
              <td>
                {pct(r.before)} → {pct(r.after)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>
        {t.flips} ({report.flipsTotal})
      </h3>
      {report.flips.length === 0 ? (
        <p className="muted">{t.noFlips}</p>
      ) : (
        <table data-testid="backtest-flips">
          <thead>
            <tr>
              <th scope="col">{t.caseCol}</th>
              <th scope="col">
                {t.program}, {t.level}
              </th>
              <th scope="col">{t.outcome}</th>
              <th scope="col">{t.due}</th>
            </tr>
          </thead>
          <tbody>
            {report.flips.map((f) => (
              <tr key={f.caseId}>
                <td>
                  <Link to={`/cases/${f.caseId}`}>{f.caseId.slice(0, 8)}</Link>
                </td>
                <td>
                  {programName(f.program)} {f.level}
                </td>
                <td>
                  {humanize(f.before.state)} → {humanize(f.after.state)}
                </td>
                <td>
                  {formatInstant(f.before.dueAt, lang)} → {formatInstant(f.after.dueAt, lang)}
                  {f.after.target && <span className="muted"> ({f.after.target})</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{fill(t.moves, { n: report.movesTotal })}</h3>
      {report.moves.length > 0 && (
        <table data-testid="backtest-moves">
          <caption className="muted">{fill(t.movesListed, { n: Math.min(report.moves.length, MOVES_SHOWN) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t.caseCol}</th>
              <th scope="col">
                {t.program}, {t.level}
              </th>
              <th scope="col">{t.due}</th>
              <th scope="col">{t.shift}</th>
            </tr>
          </thead>
          <tbody>
            {report.moves.slice(0, MOVES_SHOWN).map((m) => (
              <tr key={m.caseId} data-case={m.caseId}>
                <td>
                  <Link to={`/cases/${m.caseId}`}>{m.caseId.slice(0, 8)}</Link>
                </td>
                <td>
                  {programName(m.program)} {m.level}
                </td>
                <td>
                  {formatInstant(m.before.dueAt, lang)} → {formatInstant(m.after.dueAt, lang)}
                  {m.after.target && <span className="muted"> ({m.after.target})</span>}
                </td>
                <td>
                  {m.shiftMs === null ? '—' : fill(m.shiftMs < 0 ? t.earlierBy : t.laterBy, { time: durationMs(Math.abs(m.shiftMs)) })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
