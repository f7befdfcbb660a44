/**
 * A policy migration's preview or apply as a durable workflow (id `policy-migration-<id>`): the back-test's
 * loop (count, one activity per batch until done, finish; progress query, cancel decided by the run's row),
 * whose activities tell a migration run by its request (backtest/migration-activities.ts). An apply's batch
 * is one workflow update per case, so its batches are smaller than a back-test's pages.
 */
import type { BacktestProgress, BacktestWorkflowInput } from '../contract/backtest';
import { policyBacktestWorkflow } from './backtest-workflow';

/** Cases per apply batch (8 updates in flight at once within it). */
export const APPLY_BATCH = 50;

export async function policyMigrationWorkflow(input: BacktestWorkflowInput): Promise<BacktestProgress> {
  return policyBacktestWorkflow({ batchSize: APPLY_BATCH, ...input });
}
