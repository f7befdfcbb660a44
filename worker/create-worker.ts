/**
 * The case worker: the case workflow plus its activities on one task queue. Used by the start script, the
 * API tests and the workflow tests. The workflow bundle is built once per process and reused, so a
 * supervisor that rebuilds its worker after a Temporal outage does not pay for bundling again.
 */
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Database } from '../db/client';
import { createActivities } from '../activities';
import type { Notifier } from '../activities/notifier';
import { TASK_QUEUE } from '../workflows/contract';

export interface CaseWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue?: string;
  database: Database;
  /** Outbox delivery channel; default: webhook from NOTIFY_WEBHOOK_URL/SECRET; null: outbox only. */
  notifier?: Notifier | null;
  /** A prebuilt bundle (tests share one across workers); default: built once per process. */
  workflowBundle?: WorkflowBundleWithSourceMap;
  maxConcurrentActivityTaskExecutions?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  maxCachedWorkflows?: number;
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

let sharedBundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The case workflows bundled for the worker's sandbox (memoised: bundling takes seconds). */
export function caseWorkflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  sharedBundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger }).catch((err) => {
    sharedBundle = undefined;
    throw err;
  });
  return sharedBundle;
}

export async function createCaseWorker(opts: CaseWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    workflowBundle: opts.workflowBundle ?? (await caseWorkflowBundle()),
    activities: createActivities({ db: opts.database, notifier: opts.notifier }),
    maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions ?? 50,
    maxConcurrentWorkflowTaskExecutions: opts.maxConcurrentWorkflowTaskExecutions,
    maxCachedWorkflows: opts.maxCachedWorkflows,
  });
}

// The bundler logs every build at info level; only problems are worth a line.
const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string, meta?: Record<string, unknown>) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta ?? ''),
};
