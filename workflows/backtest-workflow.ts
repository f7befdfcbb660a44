/**
 * A back-test as a durable workflow: count, then one activity per page of cases until the read model has no
 * more, then the report. The state of the run lives in its policy_backtests row (cursor and partial report,
 * advanced transactionally by each batch), so a worker restart or a retried batch resumes exactly where it
 * stopped. Cancelling (the API marks the row first, under its lock, so a cancel answered 202 never lets the
 * run complete, and a completed run is never marked cancelled) keeps the partial report as the result.
 */
import {
  CancellationScope,
  ContinueAsNew,
  continueAsNew,
  isCancellation,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { backtestProgressQuery, type BacktestActivities, type BacktestProgress, type BacktestWorkflowInput } from '../contract/backtest';

const { backtestCount, backtestBatch, backtestFinish } = proxyActivities<BacktestActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20 },
});

const DEFAULT_BATCH = 500;

export async function policyBacktestWorkflow(input: BacktestWorkflowInput): Promise<BacktestProgress> {
  const progress: BacktestProgress = input.progress ?? { status: 'running', total: null, processed: 0, withoutInput: 0 };
  setHandler(backtestProgressQuery, () => progress);
  const batchSize = input.batchSize ?? DEFAULT_BATCH;
  try {
    if (progress.total === null) progress.total = await backtestCount(input.id);
    for (;;) {
      const r = await backtestBatch({ id: input.id, batchSize });
      progress.processed = r.processed;
      progress.withoutInput = r.withoutInput;
      if (r.stopped) {
        // Cancelled through the API: the row already says so and keeps the partial report (backtest/activities.ts endRun).
        progress.status = 'cancelled';
        return progress;
      }
      if (r.done) break;
      if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof policyBacktestWorkflow>({ ...input, progress });
    }
    await backtestFinish({ id: input.id, status: 'completed' });
    progress.status = 'completed';
    return progress;
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    const status = isCancellation(err) ? 'cancelled' : 'failed';
    progress.status = status;
    await CancellationScope.nonCancellable(() =>
      backtestFinish({ id: input.id, status, error: status === 'failed' ? String(err) : undefined }),
    );
    throw err;
  }
}
