/**
 * The upgrade procedure (docs/operations.md, "Upgrades") on a real Temporal server (time-skipping):
 * release N is the case workflow as it was at RELEASE_N, the last revision before page escalation shipped
 * (its own sources, kept in test/fixtures/releases/, bundled as its workers did); release N+1 is today's code, where page escalation is
 * guarded by `patched('page-escalation')`. Cases opened on N wait on their timers while N's worker stops
 * and N+1's starts; they finish with N's behaviour, new cases get N+1's. Then the replay gate: N's histories
 * replay on N+1, and the same change shipped without its guard is caught as nondeterminism.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { asc, eq } from 'drizzle-orm';
import {
  caseWorkflowId,
  confirmResolutionUpdate,
  engineerResponseUpdate,
  openedUpdate,
  pageAckUpdate,
  resolveUpdate,
  TASK_QUEUE,
  type CaseView,
  type CaseWorkflowInput,
} from '../../contract/case';
import type { Database } from '../../db/client';
import { caseEvents } from '../../db/schema';
import { caseWorkflowBundle, createCaseWorker } from '../../worker/create-worker';
import type { caseWorkflow } from '../../workflows';
import { caseInput, customer, engineer, insertOrganisation } from '../fixtures/cases';
import { releaseBundle, unguardedBundle } from '../fixtures/releases/bundles';
import { describeFailures, loadRecordedHistories, replayHistories, type History, type RecordedHistory } from '../fixtures/replay-gate';
import { createTestDatabase } from '../helpers/db';
import { createTimeSkippingEnv } from '../helpers/temporal';

/** Release N: a79c11b, the parent of 3b6bec9 ("Severity 1 pages wait for an acknowledgement and escalate"). */
const RELEASE_N = 'a79c11b-before-page-escalation';
const PATCH = 'page-escalation';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let env: TestWorkflowEnvironment;
let database: Database;
let bundles: { n: WorkflowBundleWithSourceMap; next: WorkflowBundleWithSourceMap; unguarded: WorkflowBundleWithSourceMap };

beforeAll(async () => {
  let n, next, unguarded;
  [env, database, n, next, unguarded] = await Promise.all([
    createTimeSkippingEnv(),
    createTestDatabase(),
    releaseBundle(RELEASE_N),
    caseWorkflowBundle(),
    unguardedBundle(PATCH),
  ]);
  bundles = { n, next, unguarded };
  await insertOrganisation(database);
});

afterAll(async () => {
  await env?.teardown();
  await database?.close();
});

/** A worker of one release: the case workflow bundle of that release, today's activities, one database. */
async function startWorker(
  workflowBundle: WorkflowBundleWithSourceMap,
  maxCachedWorkflows?: number,
): Promise<{ worker: Worker; stop: () => Promise<void> }> {
  const worker = await createCaseWorker({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    database,
    notifier: null,
    mailer: null,
    workflowBundle,
    maxCachedWorkflows,
  });
  const running = worker.run();
  return {
    worker,
    stop: async () => {
      worker.shutdown();
      await running;
    },
  };
}

async function open(input: CaseWorkflowInput): Promise<WorkflowHandle<typeof caseWorkflow>> {
  const handle = await env.client.workflow.start<typeof caseWorkflow>('caseWorkflow', {
    workflowId: caseWorkflowId(input.caseId),
    taskQueue: TASK_QUEUE,
    args: [input],
  });
  await handle.executeUpdate(openedUpdate, { args: [{ requestId: randomUUID() }] });
  return handle;
}

const act = (requestId = randomUUID()) => ({ requestId, actor: engineer });

async function finish(handle: WorkflowHandle<typeof caseWorkflow>): Promise<CaseView> {
  await handle.executeUpdate(resolveUpdate, { args: [{ ...act(), resolutionType: 'workaround', summary: 'fixed' }] });
  await handle.executeUpdate(confirmResolutionUpdate, { args: [{ requestId: randomUUID(), actor: customer, accepted: true }] });
  return handle.result();
}

async function eventTypes(caseId: string): Promise<string[]> {
  const rows = await database.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(asc(caseEvents.id));
  return rows.map((r) => r.type);
}

/** The ids of the patch markers in a history: how a replaying worker knows which path a case took. */
const patchIds = (history: History): string[] =>
  (history.events ?? []).flatMap((e) => {
    const marker = e.markerRecordedEventAttributes;
    const payload = marker?.markerName === 'core_patch' ? marker.details?.['patch-data']?.payloads?.[0] : undefined;
    return payload ? [defaultPayloadConverter.fromPayload<{ id: string }>(payload).id] : [];
  });

// Histories of the cases of release N as N's worker left them, and after they finished on N+1.
const recorded: RecordedHistory[] = [];
// A case opened on N+1, for the rollback check.
const openedOnNext: RecordedHistory[] = [];

test('cases opened on release N keep its behaviour after N+1 deploys under them; new cases get N+1', async () => {
  // A page goes to the region on duty (follow-the-sun): begin at 17:00 UTC, well inside AMERICAS' hours
  // (16:00-24:00), whatever the clock says, so no hand-off to APAC falls inside the test.
  const now = await env.currentTimeMs();
  await env.sleep(Math.ceil((now - 17 * HOUR) / DAY) * DAY + 17 * HOUR - now);
  const t0 = await env.currentTimeMs();
  // No cache on N's worker: a stopped worker's cached cases sit on its sticky queue, which a real server
  // hands to other workers after the sticky schedule-to-start timeout (10 s) and the test server never does.
  const nWorker = await startWorker(bundles.n, 0);
  // Release N: a paged Severity 1 case and a Severity 2 case, both waiting on SLA timers.
  const sev1 = await open(caseInput({ caseId: 'n-sev1', openedAt: t0, entitlement: 'production', level: 1 }));
  const sev2 = await open(caseInput({ caseId: 'n-sev2', openedAt: t0, entitlement: 'production', level: 2 }));
  await env.sleep(20 * MINUTE);
  // Past N+1's page window: N's case is answered but its page, which N never tracked, is not acknowledged.
  const answered = await sev1.executeUpdate(engineerResponseUpdate, { args: [act()] });
  // Both wait on a timer when N's worker goes away.
  const waiting = [answered, (await sev2.query('getCase')) as CaseView];
  expect(waiting.map((v) => Date.parse(v.nextDueAt!) > t0 + 20 * MINUTE)).toEqual([true, true]);
  await nWorker.stop();
  for (const h of [sev1, sev2]) recorded.push({ name: `N/${h.workflowId}@upgrade`, history: await h.fetchHistory() });

  // Release N+1 deploys while they run.
  const nextWorker = await startWorker(bundles.next);
  try {
    const t1 = await env.currentTimeMs();
    const fresh = await open(caseInput({ caseId: 'next-sev1', openedAt: t1, entitlement: 'production', level: 1 }));
    await env.sleep(20 * MINUTE);

    // The new case follows N+1: its unacknowledged page escalated; it can be acknowledged.
    const freshView = await fresh.executeUpdate(pageAckUpdate, { args: [{ ...act(), note: 'on it' }] });
    expect(freshView.page).toMatchObject({ escalationLevel: 1, recipient: 'oncall:AMERICAS:fallback', acknowledgedBy: engineer.id });
    // N's case keeps N's behaviour on N+1's worker: no page tracked, none escalated, nothing to acknowledge.
    const refused = await sev1.executeUpdate(pageAckUpdate, { args: [act()] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(String((refused as WorkflowUpdateFailedError).cause?.message)).toMatch(/began before page acknowledgements were tracked/);
    expect(((await sev1.query('getCase')) as CaseView).page ?? null).toBeNull();

    // All three finish on N+1's worker.
    // One at a time: waiting on a result lets the test server skip time, and a resolved case closes itself.
    const views = [await finish(sev1), await finish(sev2), await finish(fresh)];
    expect(views.map((v) => v.status)).toEqual(['closed', 'closed', 'closed']);
    for (const h of [sev1, sev2]) recorded.push({ name: `N/${h.workflowId}@closed`, history: await h.fetchHistory() });

    expect(await eventTypes('n-sev1')).not.toEqual(expect.arrayContaining(['page_escalated']));
    expect(await eventTypes('n-sev1')).not.toEqual(expect.arrayContaining(['page_acknowledged']));
    expect(await eventTypes('next-sev1')).toEqual(expect.arrayContaining(['page_escalated', 'page_acknowledged']));
    // The patch marker is what tells a replaying N+1 worker which path a case took.
    expect(patchIds(await sev1.fetchHistory())).toEqual([]);
    // (Later patches, e.g. retarget-best-effort, mark new runs too: this release's marker is the one under test.)
    expect(patchIds(await fresh.fetchHistory())).toEqual(expect.arrayContaining([PATCH]));
    openedOnNext.push({ name: `N+1/${fresh.workflowId}`, history: await fresh.fetchHistory() });
  } finally {
    await nextWorker.stop();
  }
});

test('replay gate: N histories replay on N+1; the same change without patched() is refused as nondeterminism', async () => {
  expect(recorded.map((h) => h.name)).toEqual([
    'N/case-n-sev1@upgrade',
    'N/case-n-sev2@upgrade',
    'N/case-n-sev1@closed',
    'N/case-n-sev2@closed',
  ]);
  expect(describeFailures(await replayHistories(bundles.next, recorded))).toBe('');

  // Page escalation shipped unguarded: replaying N's paged case, the code escalates a page N never tracked
  // and no longer starts the timer N started there; the Severity 2 case, never paged, still replays.
  const unguarded = await replayHistories(bundles.unguarded, recorded);
  const report = describeFailures(unguarded);
  expect(unguarded.map((f) => f.name)).toEqual(['N/case-n-sev1@upgrade', 'N/case-n-sev1@closed']);
  for (const f of unguarded) expect(f.error).toMatchObject({ name: 'DeterminismViolationError' });
  expect(report).toMatch(
    /^- N\/case-n-sev1@upgrade: DeterminismViolationError.*\n.*Nondeterminism error: No command scheduled for event HistoryEvent\(id: \d+, TimerStarted\)/m,
  );

  // The CI gate over the recorded fixtures (test/workflows/replay.test.ts) catches both ways of getting it
  // wrong: a Severity 1 history from before the patch (the unguarded timer) and one recorded with the patch
  // marker (the code no longer asks for the patch: what removing a patch too early does).
  const fixtures = describeFailures(await replayHistories(bundles.unguarded, loadRecordedHistories(['0.1.0'])));
  expect(fixtures).toMatch(/^- 0\.1\.0\/sev1-unavailable-escalated: DeterminismViolationError.*\n.*TimerStarted/m);
  expect(fixtures).toMatch(
    /^- 0\.1\.0\/sev1-page-escalated-email-reply: DeterminismViolationError.*\n.*patch marker encountered for change page-escalation/m,
  );
});

test('rollback: N cannot run a case N+1 opened with the patch, so rolling back the workers stalls those cases', async () => {
  const report = describeFailures(await replayHistories(bundles.n, openedOnNext));
  expect(report).toMatch(/^- N\+1\/case-next-sev1: DeterminismViolationError.*\n.*patch marker encountered for change page-escalation/m);
});
