/**
 * The back-test report, built incrementally (a long back-test adds batch after batch, and the partial report
 * travels between activities as JSON): per program and level, first responses met and breached before and
 * after, achievement and first-response p50/p90 (whole minutes, on the clock's own calendar: business time
 * for business targets); contact-attempt closures, warnings and breaches; and the cases whose outcome flips.
 */
import type { CasePair } from './backtest';
import type { CaseOutcome } from './types';

export interface SideStats {
  met: number;
  breached: number;
  /** Still running when the back-test read the case. */
  running: number;
  /** No due instant (general inquiry, best effort, not available). */
  withoutTarget: number;
  /** Whole minutes to first response -> cases (mergeable; percentiles at minute resolution). */
  responseMinutes: Record<string, number>;
}

export interface Group {
  program: string;
  level: number;
  cases: number;
  before: SideStats;
  after: SideStats;
}

export interface Flip {
  caseId: string;
  program: string;
  level: number;
  openedAt: string;
  before: { state: string; dueAt: string | null; closeReason: string | null };
  after: { state: string; dueAt: string | null; closeReason: string | null; target: string | null; explanation: string };
}

export interface Totals {
  contactClosures: number;
  warnings: number;
  breaches: number;
  refusedCommands: number;
}

export interface Accumulator {
  cases: number;
  groups: Record<string, Group>;
  before: Totals;
  after: Totals;
  flips: Flip[];
  flipsTotal: number;
}

/** Flips listed in full; beyond this only counted (a report stays small enough to keep and return). */
export const MAX_LISTED_FLIPS = 1000;

export function emptyAccumulator(): Accumulator {
  const totals = (): Totals => ({ contactClosures: 0, warnings: 0, breaches: 0, refusedCommands: 0 });
  return { cases: 0, groups: {}, before: totals(), after: totals(), flips: [], flipsTotal: 0 };
}

const emptySide = (): SideStats => ({ met: 0, breached: 0, running: 0, withoutTarget: 0, responseMinutes: {} });
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function addSide(s: SideStats, o: CaseOutcome): void {
  const state = o.firstResponse.state;
  if (state === 'met') s.met++;
  else if (state === 'breached') s.breached++;
  else if (state === 'running' || state === 'paused') s.running++;
  else s.withoutTarget++;
  if (o.firstResponse.elapsedMs !== null && (state === 'met' || state === 'breached')) {
    const minute = String(Math.floor(o.firstResponse.elapsedMs / 60_000));
    s.responseMinutes[minute] = (s.responseMinutes[minute] ?? 0) + 1;
  }
}

function addTotals(t: Totals, o: CaseOutcome): void {
  if (o.closeReason === 'no_customer_response') t.contactClosures++;
  t.warnings += o.warnings;
  t.breaches += o.breaches;
  t.refusedCommands += o.refusedCommands;
}

/** A case flips when its first response changes between met and breached, or it closes differently. */
export function flips(p: CasePair): boolean {
  return p.before.firstResponse.state !== p.after.firstResponse.state || p.before.closeReason !== p.after.closeReason;
}

export function addPair(acc: Accumulator, p: CasePair): void {
  acc.cases++;
  const key = `${p.before.entitlement}|${p.before.level}`;
  const g = (acc.groups[key] ??= {
    program: p.before.entitlement,
    level: p.before.level,
    cases: 0,
    before: emptySide(),
    after: emptySide(),
  });
  g.cases++;
  addSide(g.before, p.before);
  addSide(g.after, p.after);
  addTotals(acc.before, p.before);
  addTotals(acc.after, p.after);
  if (flips(p)) {
    acc.flipsTotal++;
    if (acc.flips.length < MAX_LISTED_FLIPS) {
      acc.flips.push({
        caseId: p.before.caseId,
        program: p.before.entitlement,
        level: p.before.level,
        openedAt: iso(p.before.openedAt)!,
        before: { state: p.before.firstResponse.state, dueAt: iso(p.before.firstResponse.dueAt), closeReason: p.before.closeReason },
        after: {
          state: p.after.firstResponse.state,
          dueAt: iso(p.after.firstResponse.dueAt),
          closeReason: p.after.closeReason,
          target: p.after.firstResponse.target,
          explanation: p.after.firstResponse.explanation,
        },
      });
    }
  }
}

export function mergeAccumulators(a: Accumulator, b: Accumulator): Accumulator {
  const out = JSON.parse(JSON.stringify(a)) as Accumulator;
  out.cases += b.cases;
  for (const [key, g] of Object.entries(b.groups)) {
    const t = (out.groups[key] ??= { program: g.program, level: g.level, cases: 0, before: emptySide(), after: emptySide() });
    t.cases += g.cases;
    for (const side of ['before', 'after'] as const) {
      const x = t[side];
      const y = g[side];
      x.met += y.met;
      x.breached += y.breached;
      x.running += y.running;
      x.withoutTarget += y.withoutTarget;
      for (const [m, n] of Object.entries(y.responseMinutes)) x.responseMinutes[m] = (x.responseMinutes[m] ?? 0) + n;
    }
  }
  for (const side of ['before', 'after'] as const) {
    for (const k of ['contactClosures', 'warnings', 'breaches', 'refusedCommands'] as const) out[side][k] += b[side][k];
  }
  out.flipsTotal += b.flipsTotal;
  out.flips = [...out.flips, ...b.flips].slice(0, MAX_LISTED_FLIPS);
  return out;
}

// ---- the finished report -----------------------------------------------------------------------------

export interface SideSummary {
  met: number;
  breached: number;
  running: number;
  withoutTarget: number;
  /** met / (met + breached); null without any. */
  achievement: number | null;
  firstResponseP50Minutes: number | null;
  firstResponseP90Minutes: number | null;
}

export interface ReportRow {
  program: string;
  level: number;
  cases: number;
  before: SideSummary;
  after: SideSummary;
}

export interface Report {
  cases: number;
  rows: ReportRow[];
  before: Totals;
  after: Totals;
  flipsTotal: number;
  flips: Flip[];
}

/** Nearest-rank percentile over a minute histogram. */
export function percentile(hist: Record<string, number>, p: number): number | null {
  const entries = Object.entries(hist)
    .map(([m, n]) => [Number(m), n] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const [m, n] of entries) {
    seen += n;
    if (seen >= rank) return m;
  }
  return entries[entries.length - 1]![0];
}

function summarise(s: SideStats): SideSummary {
  const decided = s.met + s.breached;
  return {
    met: s.met,
    breached: s.breached,
    running: s.running,
    withoutTarget: s.withoutTarget,
    achievement: decided === 0 ? null : s.met / decided,
    firstResponseP50Minutes: percentile(s.responseMinutes, 0.5),
    firstResponseP90Minutes: percentile(s.responseMinutes, 0.9),
  };
}

export function finishReport(acc: Accumulator): Report {
  const rows = Object.values(acc.groups)
    .sort((a, b) => a.program.localeCompare(b.program) || a.level - b.level)
    .map((g) => ({ program: g.program, level: g.level, cases: g.cases, before: summarise(g.before), after: summarise(g.after) }));
  const flipsSorted = [...acc.flips].sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.caseId.localeCompare(b.caseId));
  return { cases: acc.cases, rows, before: acc.before, after: acc.after, flipsTotal: acc.flipsTotal, flips: flipsSorted };
}
