/**
 * The back-test report, built incrementally (a long back-test adds batch after batch, and the partial report
 * travels between activities as JSON): per program and level, first responses met and breached before and
 * after, achievement and first-response p50/p90 (whole minutes, on the clock's own calendar: business time
 * for business targets); contact-attempt closures, warnings and breaches; and the cases whose outcome flips.
 */
import type { CasePair } from './backtest';
import type { CaseOutcome } from './types';
import type { Flip, Move, Report, ReportRow, SideSummary, Totals } from '../../contract/policy-runs';

export type { Flip, Move, Report, ReportRow, SideSummary, Totals };

/**
 * First responses in the SLA reports' five outcomes (contract/sla-outcome.ts), so a row adds up to its cases
 * and reads like GET /v1/reports/sla.
 */
export interface SideStats {
  met: number;
  breached: number;
  /** Still running (or paused) when the back-test read the case, not breached. */
  open: number;
  /** Closed before its due instant without any response. */
  closedWithoutResponse: number;
  /** No due instant (general inquiry, best effort, not available). */
  noTarget: number;
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

export interface Accumulator {
  cases: number;
  groups: Record<string, Group>;
  before: Totals;
  after: Totals;
  flips: Flip[];
  flipsTotal: number;
  moves: Move[];
  movesTotal: number;
}

/** Cases whose due instant moved, listed in full up to this many (all counted). */
export const MAX_LISTED_MOVES = 10_000;

/** Flips listed in full; beyond this only counted (a report stays small enough to keep and return). */
export const MAX_LISTED_FLIPS = 1000;

export function emptyAccumulator(): Accumulator {
  const totals = (): Totals => ({ contactClosures: 0, warnings: 0, breaches: 0, refusedCommands: 0 });
  return { cases: 0, groups: {}, before: totals(), after: totals(), flips: [], flipsTotal: 0, moves: [], movesTotal: 0 };
}

const emptySide = (): SideStats => ({ met: 0, breached: 0, open: 0, closedWithoutResponse: 0, noTarget: 0, responseMinutes: {} });
const OUTCOME_FIELD = {
  met: 'met',
  breached: 'breached',
  open: 'open',
  closed_without_response: 'closedWithoutResponse',
  no_target: 'noTarget',
} as const satisfies Record<CaseOutcome['firstResponse']['outcome'], keyof SideStats>;
const COUNTS = ['met', 'breached', 'open', 'closedWithoutResponse', 'noTarget'] as const;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function addSide(s: SideStats, o: CaseOutcome): void {
  const outcome = o.firstResponse.outcome;
  s[OUTCOME_FIELD[outcome]]++;
  // Percentiles only over answered clocks, as the SLA reports.
  if (o.firstResponse.elapsedMs !== null && o.firstResponse.respondedAt !== null && (outcome === 'met' || outcome === 'breached')) {
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

/** The first-response due instant moved under the candidate. */
export function moves(p: CasePair): boolean {
  return p.before.firstResponse.dueAt !== p.after.firstResponse.dueAt;
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
  if (moves(p)) {
    acc.movesTotal++;
    if (acc.moves.length < MAX_LISTED_MOVES) {
      const b = p.before.firstResponse;
      const a = p.after.firstResponse;
      acc.moves.push({
        caseId: p.before.caseId,
        program: p.before.entitlement,
        level: p.before.level,
        openedAt: iso(p.before.openedAt)!,
        before: { state: b.state, dueAt: iso(b.dueAt) },
        after: { state: a.state, dueAt: iso(a.dueAt), target: a.target, explanation: a.explanation },
        shiftMs: a.dueAt === null || b.dueAt === null ? null : a.dueAt - b.dueAt,
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
      for (const k of COUNTS) x[k] = (x[k] ?? 0) + (y[k] ?? 0);
      for (const [m, n] of Object.entries(y.responseMinutes)) x.responseMinutes[m] = (x.responseMinutes[m] ?? 0) + n;
    }
  }
  for (const side of ['before', 'after'] as const) {
    for (const k of ['contactClosures', 'warnings', 'breaches', 'refusedCommands'] as const) out[side][k] += b[side][k];
  }
  out.flipsTotal += b.flipsTotal;
  out.flips = [...out.flips, ...b.flips].slice(0, MAX_LISTED_FLIPS);
  out.movesTotal = (out.movesTotal ?? 0) + (b.movesTotal ?? 0);
  out.moves = [...(out.moves ?? []), ...(b.moves ?? [])].slice(0, MAX_LISTED_MOVES);
  return out;
}

// ---- the finished report -----------------------------------------------------------------------------

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
    open: s.open,
    closedWithoutResponse: s.closedWithoutResponse,
    noTarget: s.noTarget,
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
  const movesSorted = [...(acc.moves ?? [])].sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.caseId.localeCompare(b.caseId));
  return {
    cases: acc.cases,
    rows,
    before: acc.before,
    after: acc.after,
    flipsTotal: acc.flipsTotal,
    flips: flipsSorted,
    movesTotal: acc.movesTotal ?? 0,
    moves: movesSorted,
  };
}
