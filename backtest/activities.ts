/**
 * The back-test workflow's activities: read a page of recorded cases from the read model, replay each under
 * the recorded and the candidate policy (backtest/engine), and merge the page into the run's stored partial
 * report, all keyed by the run's cursor so a retried or repeated batch changes nothing.
 */
import { heartbeat } from '@temporalio/activity';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { policyBacktests, policyVersions } from '../db/schema';
import { POLICY_V1, type PolicyDocument } from '../policy';
import type { BacktestActivities, BacktestStatus, BatchResult } from '../contract/backtest';
import { backtestCase, type Candidate } from './engine/backtest';
import { canonical } from './engine/exactness';
import { addPair, emptyAccumulator, finishReport, mergeAccumulators, type Accumulator } from './engine/report';
import { countCases, rangeAsOf, readCasePage, type CaseRange, type Cursor } from './read-model';
import { finishMigration, isMigration, migrationBatch, migrationCount } from './migration-activities';

/** What POST /v1/policy/backtests stores as the run's request. */
export interface BacktestRequest {
  candidate: Candidate;
  /** The candidate's base version, for the report. */
  baseVersion: number;
  range: CaseRange;
  /** The instant the back-test reads the cases as of (ISO): nothing after it is replayed. */
  asOf: string;
}

type StoredCursor = Cursor | { done: true } | null;

async function loadRun(db: Db, id: string) {
  const [row] = await db.select().from(policyBacktests).where(eq(policyBacktests.id, id));
  if (!row) throw new Error(`back-test ${id} not found`);
  return row;
}

async function documents(db: Db): Promise<Map<string, PolicyDocument>> {
  const rows = await db.select({ key: policyVersions.key, document: policyVersions.document }).from(policyVersions);
  return new Map([[POLICY_V1.key, POLICY_V1.document], ...rows.map((r) => [r.key, r.document as PolicyDocument] as const)]);
}

/** Replays one page and merges it; `null` cursor = from the start. */
export async function runBatch(db: Db, id: string, batchSize: number): Promise<BatchResult> {
  const run = await loadRun(db, id);
  const stored = run.cursor as StoredCursor;
  if (run.status !== 'running') return { processed: run.processed, withoutInput: run.withoutInput, done: true, stopped: true };
  if (isMigration(run.request)) return migrationBatch(db, run, batchSize);
  if (stored && 'done' in stored) return { processed: run.processed, withoutInput: run.withoutInput, done: true };
  const req = run.request as BacktestRequest;
  const page = await readCasePage(db, rangeAsOf(req.range, req.asOf), stored, batchSize);
  const docs = await documents(db);
  const until = Date.parse(req.asOf);
  const acc: Accumulator = emptyAccumulator();
  const roleOf = (actorId: string) => page.roles[actorId];
  for (const c of page.cases)
    addPair(
      acc,
      backtestCase(c, req.candidate, until, (key) => docs.get(key), roleOf),
    );
  const next: StoredCursor = page.next ?? { done: true };
  return db.transaction(async (tx) => {
    const [now] = await tx.select().from(policyBacktests).where(eq(policyBacktests.id, id)).for('update');
    // Another attempt of this batch got here first: report what it stored.
    if (!now || canonical(now.cursor) !== canonical(stored) || now.status !== 'running') {
      const c = now?.cursor as StoredCursor;
      const stopped = !now || now.status !== 'running';
      return { processed: now?.processed ?? 0, withoutInput: now?.withoutInput ?? 0, done: stopped || (!!c && 'done' in c), stopped };
    }
    const partial = now.partial ? mergeAccumulators(now.partial as Accumulator, acc) : acc;
    const processed = now.processed + page.cases.length;
    const withoutInput = now.withoutInput + page.withoutInput;
    await tx.update(policyBacktests).set({ cursor: next, partial, processed, withoutInput }).where(eq(policyBacktests.id, id));
    return { processed, withoutInput, done: 'done' in next };
  });
}

/**
 * Ends a running run as `status`, in one transaction on its locked row: the first of a finish and a cancel
 * wins and the other changes nothing. A completed run keeps its report; a cancelled (or failed) one keeps the
 * report of the batches merged so far (the partial report: `progress.processed` says how far it got). Returns
 * the status the run has afterwards and whether this call ended it.
 */
export async function endRun(
  db: Db,
  id: string,
  status: Exclude<BacktestStatus, 'running'>,
  error?: string,
): Promise<{ status: BacktestStatus; ended: boolean }> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(policyBacktests).where(eq(policyBacktests.id, id)).for('update');
    if (!row) throw new Error(`back-test ${id} not found`);
    if (row.status !== 'running') return { status: row.status as BacktestStatus, ended: false };
    const result = isMigration(row.request)
      ? finishMigration(row.request, row.partial)
      : finishReport((row.partial as Accumulator | null) ?? emptyAccumulator());
    await tx
      .update(policyBacktests)
      .set({ status, result, error: error ?? null, finishedAt: new Date() })
      .where(eq(policyBacktests.id, id));
    return { status, ended: true };
  });
}

export function createBacktestActivities(db: Db): BacktestActivities {
  return {
    async backtestCount(id) {
      const run = await loadRun(db, id);
      const req = run.request as BacktestRequest;
      const total = isMigration(run.request) ? await migrationCount(db, run) : await countCases(db, rangeAsOf(req.range, req.asOf));
      await db.update(policyBacktests).set({ total }).where(eq(policyBacktests.id, id));
      return total;
    },
    async backtestBatch({ id, batchSize }) {
      heartbeat();
      return runBatch(db, id, batchSize);
    },
    async backtestFinish({ id, status, error }: { id: string; status: BacktestStatus; error?: string }) {
      if (status === 'running') return;
      await endRun(db, id, status, error);
    },
  };
}
