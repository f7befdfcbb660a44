/**
 * The policy view's shapes: the runs as the API declares them (openapi.d.ts) and the parts it declares as
 * free-form JSON (a back-test report, a preview's and an apply's rows), as contract/policy-runs.ts declares
 * them for the server that writes them.
 */
import type { components } from '../../server-api/openapi';

type Schemas = components['schemas'];
export type Backtest = Schemas['Backtest'];
export type PolicyMigration = Schemas['PolicyMigration'];
export type PolicyVersion = Schemas['PolicyVersion'];
export type PolicyTarget = Schemas['PolicyTarget'];
export type WeeklyWindow = Schemas['WeeklyWindow'];
export type ProgramId = keyof PolicyVersion['document']['programs'];

export type {
  ApplyCase,
  ApplyOutcome,
  Flip,
  MigratedClock,
  Move,
  PreviewRow,
  PreviewTotals,
  ReportRow,
  Report as BacktestReport,
  SideSummary,
} from '../../../../contract/policy-runs';

export const LEVELS = [1, 2, 3, 4] as const;
