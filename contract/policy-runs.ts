/**
 * What a back-test and a policy migration report, as the API returns it (the runs' `result` / `partial`
 * JSON): built by backtest/engine/report.ts, backtest/engine/migration.ts and backtest/migration-activities.ts,
 * read by the console's policy view. Declared once here, so the two sides cannot drift.
 */

// ---- the back-test report -------------------------------------------------------------------------------

export interface SideSummary {
  met: number;
  breached: number;
  open: number;
  closedWithoutResponse: number;
  noTarget: number;
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

export interface Flip {
  caseId: string;
  program: string;
  level: number;
  openedAt: string;
  before: { state: string; dueAt: string | null; closeReason: string | null };
  after: { state: string; dueAt: string | null; closeReason: string | null; target: string | null; explanation: string };
}

/** A case whose first-response due instant differs under the candidate (whether or not its outcome flips). */
export interface Move {
  caseId: string;
  program: string;
  level: number;
  openedAt: string;
  before: { state: string; dueAt: string | null };
  after: { state: string; dueAt: string | null; target: string | null; explanation: string };
  /** after - before in ms (null when one side has no due instant). */
  shiftMs: number | null;
}

export interface Totals {
  contactClosures: number;
  warnings: number;
  breaches: number;
  refusedCommands: number;
}

export interface Report {
  cases: number;
  rows: ReportRow[];
  before: Totals;
  after: Totals;
  flipsTotal: number;
  flips: Flip[];
  /** Every case whose first-response due instant moved (the first MAX_LISTED_MOVES listed, all counted). */
  movesTotal: number;
  moves: Move[];
}

// ---- a migration: preview and apply ------------------------------------------------------------------

export interface MigratedClock {
  clock: string;
  /** Before and after the migration. */
  oldState: string;
  state: string;
  changed: boolean;
  oldDueAt: string | null;
  newDueAt: string | null;
  oldTarget: string;
  newTarget: string;
  elapsedMs: number;
  breachesAtOnce: boolean;
}

export interface PreviewRow {
  caseId: string;
  orgId: string;
  program: string;
  level: number;
  openedAt: string;
  /** The state version the read model held: the apply sends it, the case refuses if it changed since. */
  stateVersion: number;
  fromVersion: string;
  toVersion: string;
  /** Every running clock: old and new due instant and state. */
  clocks: MigratedClock[];
  /** Some clock is already past its new target: it breaches at the migration. */
  breachesAtOnce: boolean;
  /** Some due instant moves earlier (the owner is told). */
  earlier: boolean;
  /** Why the case refuses the migration (already on the version), else null. */
  refused: string | null;
}

export interface PreviewTotals {
  cases: number;
  /** Running clocks listed. */
  clocks: number;
  earlier: number;
  later: number;
  unchanged: number;
  breachesAtOnce: number;
  refused: number;
}

export type ApplyOutcome = 'migrated' | 'stale' | 'closed' | 'refused' | 'skipped' | 'failed';

export interface ApplyCase {
  caseId: string;
  outcome: ApplyOutcome;
  reason: string | null;
  /** The case's first-response due instant after the apply, as its view says. */
  firstResponseDueAt: string | null;
}
