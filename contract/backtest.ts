/**
 * The back-test workflow's contract: one workflow per back-test (id `backtest-<id>`), its progress query and
 * the activities it calls (implemented in backtest/activities.ts, which reads the read model).
 */
import { defineQuery } from '@temporalio/workflow';

export const BACKTEST_WORKFLOW_TYPE = 'policyBacktestWorkflow';

export function backtestWorkflowId(id: string): string {
  return `backtest-${id}`;
}

/** A policy migration's preview or apply (workflows/policy-migration-workflow.ts), same input and progress. */
export const MIGRATION_WORKFLOW_TYPE = 'policyMigrationWorkflow';

export function migrationWorkflowId(id: string): string {
  return `policy-migration-${id}`;
}

export type BacktestStatus = 'running' | 'completed' | 'cancelled' | 'failed';

export interface BacktestWorkflowInput {
  id: string;
  /** Cases per activity (one page of the read model). */
  batchSize?: number;
  /** Set when continued as new. */
  progress?: BacktestProgress;
}

export interface BacktestProgress {
  status: BacktestStatus;
  total: number | null;
  processed: number;
  /** Cases in range opened before inputs were kept: they cannot be replayed. */
  withoutInput: number;
}

export interface BatchResult {
  processed: number;
  withoutInput: number;
  done: boolean;
  /** The run is no longer running (cancelled through the API): the workflow stops without finishing it. */
  stopped?: boolean;
}

/** Implemented by backtest/activities.ts; the workflow imports only this type. */
export interface BacktestActivities {
  /** Counts the cases in range (progress total). */
  backtestCount(id: string): Promise<number>;
  /** Replays the next page of cases and merges them into the stored partial report; idempotent by cursor. */
  backtestBatch(input: { id: string; batchSize: number }): Promise<BatchResult>;
  /** Finishes the run: the report (completed) or just the status. */
  backtestFinish(input: { id: string; status: BacktestStatus; error?: string }): Promise<void>;
}

export const backtestProgressQuery = defineQuery<BacktestProgress>('backtestProgress');
