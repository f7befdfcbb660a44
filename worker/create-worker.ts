/**
 * The case worker: the case workflow plus its activities on one task queue. Used by the start script, the
 * API tests and the workflow tests. The workflow bundle is built once per process and reused, so a
 * supervisor that rebuilds its worker after a Temporal outage does not pay for bundling again.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Database } from '../db/client';
import { createActivities, createOutboxRelay, deliveryChannels } from '../activities';
import type { Notifier } from '../activities/notifier';
import type { WebhookSettings } from '../activities/webhooks/subscriptions';
import type { CaseMailer } from '../activities/mail/mailer';
import { TASK_QUEUE } from '../contract/case';
import { createBacktestActivities } from '../backtest/activities';
import { activityTracingInterceptors, WORKFLOW_INTERCEPTOR_MODULES, workflowSpanSinks, type WorkerTracing } from './tracing';

export interface CaseWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue?: string;
  database: Database;
  /** Outbox delivery channel; default: webhook from NOTIFY_WEBHOOK_URL/SECRET; null: outbox only. */
  notifier?: Notifier | null;
  /** Mail channel; default: SMTP_URL/MAIL_FROM/MAIL_REPLY_* from the environment; null: no mail. */
  mailer?: CaseMailer | null;
  /** Webhook subscription delivery (runtime/config.ts); default: from the environment. */
  webhooks?: WebhookSettings;
  /** A prebuilt bundle (tests share one across workers); default: built once per process. */
  workflowBundle?: WorkflowBundleWithSourceMap;
  maxConcurrentActivityTaskExecutions?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  /** Sticky cache size; default: from cacheBudgetMb when given, else the SDK's default. */
  maxCachedWorkflows?: number;
  /** Memory for the sticky cache (WORKER_CACHE_MB): it holds cachedCasesFor(budget) cases. */
  cacheBudgetMb?: number;
  /** The process's traces (runtime/tracing.ts); absent = workflow and activity spans go nowhere. */
  tracing?: WorkerTracing | null;
}

/**
 * Worker memory one cached case costs (RSS growth per case in the sticky cache, workflows in their thread
 * as in production), measured by bench/worker-memory.ts: see the newest worker-memory note in bench/notes/.
 * Re-measure after a change to what a case holds, and update this with the note.
 */
export const CACHED_CASE_KB = 300;

/** How many cases a sticky cache of `budgetMb` megabytes holds (at least one). */
export function cachedCasesFor(budgetMb: number): number {
  return Math.max(1, Math.floor((budgetMb * 1024) / CACHED_CASE_KB));
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

// The OpenTelemetry workflow interceptors are part of every bundle (worker/tracing.ts says why).
const bundleOptions = () => ({
  workflowsPath: WORKFLOWS_PATH,
  workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
  logger: quietBundlerLogger,
});

let sharedBundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/**
 * The case workflows bundled for the worker's sandbox (memoised: bundling takes seconds). A deployment
 * that prebuilt the bundle (`npm run bundle:workflows`, done in the Docker image) names it in
 * CASEFLOW_WORKFLOW_BUNDLE, so a restarted worker polls again at once instead of bundling first.
 */
export function caseWorkflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  const prebuilt = process.env.CASEFLOW_WORKFLOW_BUNDLE;
  sharedBundle ??= (prebuilt ? readWorkflowBundle(prebuilt) : bundleWorkflowCode(bundleOptions())).catch((err) => {
    sharedBundle = undefined;
    throw err;
  });
  return sharedBundle;
}

/** Writes the bundle and its source map (`<path>` and `<path>.map`). */
export async function writeWorkflowBundle(path: string): Promise<void> {
  const bundle = await bundleWorkflowCode(bundleOptions());
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bundle.code);
  await writeFile(`${path}.map`, bundle.sourceMap);
}

export async function readWorkflowBundle(path: string): Promise<WorkflowBundleWithSourceMap> {
  const [code, sourceMap] = await Promise.all([readFile(path, 'utf8'), readFile(`${path}.map`, 'utf8')]);
  return { code, sourceMap };
}

export async function createCaseWorker(opts: CaseWorkerOptions): Promise<Worker> {
  // The outbox relay delivers notices outside workflow tasks; it runs exactly as long as the worker does.
  const channels = deliveryChannels({ notifier: opts.notifier, mailer: opts.mailer, webhooks: opts.webhooks });
  const relay = channels ? createOutboxRelay(opts.database.db, channels) : null;
  const worker = await Worker.create({
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    workflowBundle: opts.workflowBundle ?? (await caseWorkflowBundle()),
    // Back-tests run on the same queue: their batches read the read model through the same database.
    activities: {
      ...createActivities({ db: opts.database, notifier: opts.notifier, mailer: opts.mailer, webhooks: opts.webhooks, relay }),
      ...createBacktestActivities(opts.database.db),
    },
    interceptors: activityTracingInterceptors(opts.tracing),
    sinks: workflowSpanSinks(opts.tracing),
    maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions ?? 50,
    maxConcurrentWorkflowTaskExecutions: opts.maxConcurrentWorkflowTaskExecutions,
    maxCachedWorkflows: opts.maxCachedWorkflows ?? (opts.cacheBudgetMb === undefined ? undefined : cachedCasesFor(opts.cacheBudgetMb)),
  });
  if (!relay) return worker;
  const run = worker.run.bind(worker);
  worker.run = async () => {
    relay.start();
    try {
      return await run();
    } finally {
      await relay.stop();
    }
  };
  return worker;
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
