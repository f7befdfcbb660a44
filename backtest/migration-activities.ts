/**
 * Policy migrations of open cases, as runs of the back-test machinery (a policy_backtests row each, one
 * durable workflow each, the same count / batch / finish activities, progress and cancel):
 *
 * - a **preview** (`request.kind = 'migration-preview'`) reads the selected open cases page by page and
 *   previews each (engine/migration.ts: the case's replay plus the very command the apply sends); its result
 *   lists every running clock's old and new due instant and state, what breaches at once, and the totals;
 * - an **apply** (`request.kind = 'migration-apply'`) walks a completed preview's rows in order and sends each
 *   case `migratePolicy` with the state version the preview saw and a request id derived from the run and the
 *   case, so a retried batch (or a second attempt after a crash) migrates nobody twice; the case refuses when it
 *   changed since the preview (`stale`: preview again) or is closed. The cursor (the index of the next row)
 *   and the per-case outcomes advance in one transaction that only applies when the stored cursor is still
 *   the one the batch started from, as for back-tests.
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { caseInputs, cases, policyBacktests } from '../db/schema';
import type { PolicyDocument } from '../policy';
import { migratePolicyUpdate, type CaseWorkflowInput } from '../contract/case';
import type { BatchResult } from '../contract/backtest';
import type { ApplyCase, ApplyOutcome } from '../contract/policy-runs';
import { canonical } from './engine/exactness';
import {
  addPreviewRow,
  emptyPreview,
  mergePreviews,
  migrationArgs,
  previewCase,
  type PreviewAccumulator,
  type PreviewRow,
  type PreviewTotals,
} from './engine/migration';
import { countCases, readCasePage, type CaseRange, type Cursor } from './read-model';

export type { ApplyCase, ApplyOutcome };

export interface MigrationTarget {
  version: number;
  key: string;
  document: PolicyDocument;
}

export interface PreviewRequest {
  kind: 'migration-preview';
  target: MigrationTarget;
  /** Organisation, program, level, opened range; always open cases only. */
  selection: CaseRange;
  asOf: string;
}

export interface ApplyRequest {
  kind: 'migration-apply';
  previewId: string;
  target: MigrationTarget;
}

export type MigrationRequest = PreviewRequest | ApplyRequest;

export const isMigration = (r: unknown): r is MigrationRequest =>
  typeof r === 'object' &&
  r !== null &&
  ((r as MigrationRequest).kind === 'migration-preview' || (r as MigrationRequest).kind === 'migration-apply');

export interface PreviewResult {
  kind: 'migration-preview';
  asOf: string;
  target: { version: number; key: string };
  totals: PreviewTotals;
  rows: PreviewRow[];
}

export interface ApplyAccumulator {
  kind: 'migration-apply';
  counts: Record<ApplyOutcome, number>;
  cases: ApplyCase[];
}

export const emptyApply = (): ApplyAccumulator => ({
  kind: 'migration-apply',
  counts: { migrated: 0, stale: 0, closed: 0, refused: 0, skipped: 0, failed: 0 },
  cases: [],
});

/** The most cases one preview may hold (its rows travel in one jsonb document). */
export const MAX_MIGRATION_CASES = 20_000;

type Row = typeof policyBacktests.$inferSelect;
type StoredCursor = Cursor | { index: number } | { done: true } | null;

/** Cases to count for progress. */
export async function migrationCount(db: Db, run: Row): Promise<number> {
  const req = run.request as MigrationRequest;
  if (req.kind === 'migration-preview') return countCases(db, { ...req.selection, openOnly: true, openedTo: boundedTo(req) });
  const preview = await previewOf(db, req.previewId);
  return preview.rows.length;
}

const boundedTo = (req: PreviewRequest) =>
  req.selection.openedTo !== undefined && req.selection.openedTo < req.asOf ? req.selection.openedTo : req.asOf;

async function previewOf(db: Db, id: string): Promise<PreviewResult> {
  const [row] = await db.select().from(policyBacktests).where(eq(policyBacktests.id, id));
  const result = row?.result as PreviewResult | null | undefined;
  if (!row || row.status !== 'completed' || result?.kind !== 'migration-preview')
    throw new Error(`preview ${id} is not a completed preview`);
  return result;
}

/** The report a run keeps once it ends (completed, cancelled: what it did so far). */
export function finishMigration(req: MigrationRequest, partial: unknown): unknown {
  if (req.kind === 'migration-preview') {
    const acc = (partial as PreviewAccumulator | null) ?? emptyPreview();
    const rows = [...acc.rows].sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.caseId.localeCompare(b.caseId));
    return {
      kind: 'migration-preview',
      asOf: req.asOf,
      target: { version: req.target.version, key: req.target.key },
      totals: acc.totals,
      rows,
    };
  }
  const acc = (partial as ApplyAccumulator | null) ?? emptyApply();
  return { ...acc, previewId: req.previewId, target: { version: req.target.version, key: req.target.key } };
}

/** One batch of a migration run; the caller (backtest/activities.ts runBatch) has checked the run is running. */
export async function migrationBatch(db: Db, run: Row, batchSize: number, client?: Client): Promise<BatchResult> {
  const req = run.request as MigrationRequest;
  const stored = run.cursor as StoredCursor;
  if (stored && 'done' in stored) return { processed: run.processed, withoutInput: run.withoutInput, done: true };
  let acc: PreviewAccumulator | ApplyAccumulator;
  let next: StoredCursor;
  let count: number;
  let withoutInput = 0;
  if (req.kind === 'migration-preview') {
    const page = await readCasePage(db, { ...req.selection, openOnly: true, openedTo: boundedTo(req) }, stored as Cursor | null, batchSize);
    const at = Date.parse(req.asOf);
    const preview = emptyPreview();
    for (const c of page.cases)
      addPreviewRow(
        preview,
        previewCase(c, page.stateVersions[c.input.caseId] ?? 0, req.target, at, (id) => page.roles[id]),
      );
    acc = preview;
    next = page.next ?? { done: true };
    count = page.cases.length;
    withoutInput = page.withoutInput;
  } else {
    const preview = await previewOf(db, req.previewId);
    const from = stored && 'index' in stored ? stored.index : 0;
    const rows = preview.rows.slice(from, from + batchSize);
    acc = await applyRows(db, run, req, rows, client ?? Context.current().client);
    next = from + rows.length >= preview.rows.length ? { done: true } : { index: from + rows.length };
    count = rows.length;
  }
  return db.transaction(async (tx) => {
    const [now] = await tx.select().from(policyBacktests).where(eq(policyBacktests.id, run.id)).for('update');
    // An apply cancelled while this batch ran: its cases were sent, so they are recorded (never undone).
    if (now && now.status === 'cancelled' && acc.kind === 'migration-apply' && canonical(now.cursor) === canonical(stored)) {
      const partial = now.partial ? merge(now.partial as ApplyAccumulator, acc) : acc;
      const result = finishMigration(req, partial);
      await tx
        .update(policyBacktests)
        .set({ cursor: next, partial, result, processed: now.processed + count })
        .where(eq(policyBacktests.id, run.id));
      return { processed: now.processed + count, withoutInput: now.withoutInput, done: true, stopped: true };
    }
    if (!now || canonical(now.cursor) !== canonical(stored) || now.status !== 'running') {
      const c = now?.cursor as StoredCursor;
      const stopped = !now || now.status !== 'running';
      return { processed: now?.processed ?? 0, withoutInput: now?.withoutInput ?? 0, done: stopped || (!!c && 'done' in c), stopped };
    }
    const partial = now.partial ? merge(now.partial as PreviewAccumulator | ApplyAccumulator, acc) : acc;
    if (partial.kind === 'migration-preview' && partial.rows.length > MAX_MIGRATION_CASES)
      throw new Error(`a preview holds at most ${MAX_MIGRATION_CASES} cases: narrow the selection`);
    const processed = now.processed + count;
    await tx
      .update(policyBacktests)
      .set({ cursor: next, partial, processed, withoutInput: now.withoutInput + withoutInput })
      .where(eq(policyBacktests.id, run.id));
    return { processed, withoutInput: now.withoutInput + withoutInput, done: 'done' in next };
  });
}

function merge(a: PreviewAccumulator | ApplyAccumulator, b: PreviewAccumulator | ApplyAccumulator): PreviewAccumulator | ApplyAccumulator {
  if (a.kind === 'migration-preview' && b.kind === 'migration-preview') return mergePreviews(a, b);
  const x = a as ApplyAccumulator;
  const y = b as ApplyAccumulator;
  const counts = { ...x.counts };
  for (const k of Object.keys(counts) as ApplyOutcome[]) counts[k] += y.counts[k];
  return { kind: 'migration-apply', counts, cases: [...x.cases, ...y.cases] };
}

/** Cases at once per batch: each is one workflow update (its own short workflow task and write). */
const CONCURRENCY = 8;

async function applyRows(db: Db, run: Row, req: ApplyRequest, rows: PreviewRow[], client: Client): Promise<ApplyAccumulator> {
  const acc = emptyApply();
  const ids = rows.filter((r) => !r.refused).map((r) => r.caseId);
  const kept =
    ids.length === 0
      ? []
      : await db
          .select({ id: cases.id, workflowId: cases.workflowId, input: caseInputs.input })
          .from(cases)
          .innerJoin(caseInputs, eq(caseInputs.caseId, cases.id))
          .where(inArray(cases.id, ids));
  const byId = new Map(kept.map((k) => [k.id, k]));
  const results: ApplyCase[] = new Array(rows.length);
  let nextRow = 0;
  const actor = { id: run.requestedBy, role: 'admin' as const };
  async function one(i: number): Promise<ApplyCase> {
    const row = rows[i]!;
    const base = { caseId: row.caseId, firstResponseDueAt: null };
    if (row.refused) return { ...base, outcome: 'skipped', reason: row.refused };
    const k = byId.get(row.caseId);
    if (!k) return { ...base, outcome: 'failed', reason: 'no kept input' };
    const requestId = `migrate:${run.id}:${row.caseId}`;
    const input = {
      requestId,
      actor,
      ...migrationArgs(k.input as CaseWorkflowInput, req.target),
      expectedStateVersion: row.stateVersion,
      migrationId: run.id,
    };
    try {
      const view = await client.workflow
        .getHandle(k.workflowId)
        .executeUpdate(migratePolicyUpdate, { args: [input], updateId: `migratePolicy-${requestId}` });
      return { ...base, outcome: 'migrated', reason: null, firstResponseDueAt: view.clocks.firstResponse?.dueAt ?? null };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { ...base, outcome: 'closed', reason: 'the case workflow has finished' };
      if (err instanceof WorkflowUpdateFailedError) {
        const message = (err.cause as Error | undefined)?.message ?? err.message;
        const outcome: ApplyOutcome = /changed since the preview/.test(message) ? 'stale' : /closed/.test(message) ? 'closed' : 'refused';
        return { ...base, outcome, reason: message };
      }
      throw err; // the server or connection: the batch is retried, and cases already migrated dedupe by request id
    }
  }
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, rows.length) }, async () => {
      for (let i = nextRow++; i < rows.length; i = nextRow++) {
        results[i] = await one(i);
        heartbeatSafe();
      }
    }),
  );
  for (const r of results) {
    acc.counts[r.outcome]++;
    acc.cases.push(r);
  }
  return acc;
}

function heartbeatSafe(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // outside an activity (tests call the batch directly)
  }
}
