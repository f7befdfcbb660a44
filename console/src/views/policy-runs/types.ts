/**
 * The policy view's shapes: the runs as the API declares them (openapi.d.ts) and the parts it declares as
 * free-form JSON (a back-test report, a preview's and an apply's rows), named here as the API writes them
 * (backtest/engine/report.ts, backtest/engine/migration.ts, backtest/migration-activities.ts).
 */
import type { components } from '../../server-api/openapi';

type Schemas = components['schemas'];
export type Backtest = Schemas['Backtest'];
export type PolicyMigration = Schemas['PolicyMigration'];
export type PolicyVersion = Schemas['PolicyVersion'];
export type PolicyTarget = Schemas['PolicyTarget'];
export type WeeklyWindow = Schemas['WeeklyWindow'];
export type ProgramId = keyof PolicyVersion['document']['programs'];

export interface SideSummary {
  met: number;
  breached: number;
  open: number;
  closedWithoutResponse: number;
  noTarget: number;
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
  before: { state: string; dueAt: string | null };
  after: { state: string; dueAt: string | null; target: string | null; explanation: string };
}

export interface BacktestReport {
  cases: number;
  rows: ReportRow[];
  flipsTotal: number;
  flips: Flip[];
  movesTotal: number;
  moves: Array<Flip & { shiftMs: number | null }>;
}

export interface MigratedClock {
  clock: string;
  oldState: string;
  state: string;
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
  stateVersion: number;
  fromVersion: string;
  toVersion: string;
  clocks: MigratedClock[];
  breachesAtOnce: boolean;
  earlier: boolean;
  refused: string | null;
}

export interface PreviewTotals {
  cases: number;
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
  firstResponseDueAt: string | null;
}

export const LEVELS = [1, 2, 3, 4] as const;
