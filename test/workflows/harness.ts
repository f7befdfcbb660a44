/**
 * One real Temporal server, one real database and one case worker per test file, plus helpers to open a
 * case the way the API does (start, then the `opened` update) and to read the read model back.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { caseEvents, cases, contactAttempts, notifications, slaClocks } from '../../db/schema';
import type { Notifier } from '../../activities/notifier';
import type { CaseMailer } from '../../activities/mail/mailer';
import { createCaseWorker } from '../../worker/create-worker';
import { caseWorkflow } from '../../workflows';
import { caseWorkflowId, openedUpdate, TASK_QUEUE, type CaseView, type CaseWorkflowInput } from '../../contract/case';
import { createDevServerEnv, createTimeSkippingEnv } from '../helpers/temporal';
import { createTestDatabase } from '../helpers/db';
import { insertOrganisation } from '../fixtures/cases';
import { assertNoActionAtTimerFire } from '../helpers/timer-races';

export interface Harness {
  env: TestWorkflowEnvironment;
  database: Database;
  worker: Worker;
  /** Stops the worker (as a crash would, between tasks) and starts a fresh one on the same database. */
  restartWorker(between?: () => Promise<void>): Promise<void>;
  open(input: CaseWorkflowInput): Promise<{ handle: WorkflowHandle<typeof caseWorkflow>; view: CaseView }>;
  now(): Promise<number>;
  /** Moves server time to `at` (time-skipping server only). Never act at an instant a timer fires (teardown checks). */
  sleepUntil(at: number): Promise<void>;
  readModel(caseId: string): Promise<ReadModel>;
  teardown(): Promise<void>;
}

export interface ReadModel {
  row: typeof cases.$inferSelect | undefined;
  events: (typeof caseEvents.$inferSelect)[];
  clocks: (typeof slaClocks.$inferSelect)[];
  attempts: (typeof contactAttempts.$inferSelect)[];
  outbox: (typeof notifications.$inferSelect)[];
}

export async function startHarness(
  kind: 'time-skipping' | 'dev',
  opts: { notifier?: Notifier | null; mailer?: CaseMailer | null } = {},
): Promise<Harness> {
  const env = kind === 'dev' ? await createDevServerEnv() : await createTimeSkippingEnv();
  const database = await createTestDatabase();
  await insertOrganisation(database);
  const newWorker = () =>
    createCaseWorker({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUE,
      database,
      notifier: opts.notifier ?? null,
      mailer: opts.mailer ?? null,
    });
  let worker = await newWorker();
  let running = worker.run();
  const client = env.client;
  const opened: string[] = [];

  return {
    env,
    database,
    get worker() {
      return worker;
    },
    async restartWorker(between) {
      worker.shutdown();
      await running;
      await between?.();
      worker = await newWorker();
      running = worker.run();
    },
    async open(input) {
      opened.push(caseWorkflowId(input.caseId));
      const handle = await client.workflow.start(caseWorkflow, {
        workflowId: caseWorkflowId(input.caseId),
        taskQueue: TASK_QUEUE,
        args: [input],
      });
      const view = await handle.executeUpdate(openedUpdate, { args: [{ requestId: randomUUID() }] });
      return { handle, view };
    },
    now: () => env.currentTimeMs(),
    async sleepUntil(at) {
      const now = await env.currentTimeMs();
      if (at > now) await env.sleep(at - now);
    },
    async readModel(caseId) {
      const db = database.db;
      const [row] = await db.select().from(cases).where(eq(cases.id, caseId));
      return {
        row,
        events: await db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(asc(caseEvents.id)),
        clocks: await db.select().from(slaClocks).where(eq(slaClocks.caseId, caseId)),
        attempts: await db
          .select()
          .from(contactAttempts)
          .where(eq(contactAttempts.caseId, caseId))
          .orderBy(asc(contactAttempts.round), asc(contactAttempts.attempt)),
        outbox: await db.select().from(notifications).where(eq(notifications.caseId, caseId)).orderBy(asc(notifications.id)),
      };
    },
    async teardown() {
      try {
        if (kind === 'time-skipping') await assertNoActionAtTimerFire(client.workflow, opened);
      } finally {
        worker.shutdown();
        await running;
        await env.teardown();
        await database.close();
      }
    },
  };
}

/** A fresh request id: every command carries one. */
export const rid = (): string => randomUUID();

export const types = (view: CaseView): string[] => view.history.map((h) => h.type);
