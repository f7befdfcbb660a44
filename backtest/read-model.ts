/**
 * Reads recorded cases for a back-test from the read model: each case's pinned input (case_inputs) and its
 * audit trail (case_events), a page at a time in (opened_at, id) order so a long back-test resumes where it
 * stopped. Cases opened before inputs were kept (no case_inputs row) are skipped and counted.
 */
import { and, asc, eq, gt, gte, inArray, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { caseEvents, caseInputs, cases, principals } from '../db/schema';
import type { CaseWorkflowInput, Role } from '../contract/case';
import type { RecordedCase } from './engine/types';

export interface CaseRange {
  openedFrom?: string; // ISO, inclusive
  openedTo?: string; // ISO, exclusive
  orgIds?: string[];
  programs?: string[];
  /** Only cases not closed (a policy migration's selection). */
  openOnly?: boolean;
  /** Only cases at these levels now. */
  levels?: number[];
}

export interface Cursor {
  openedAt: string;
  id: string;
}

export interface CasePage {
  cases: RecordedCase[];
  /** Cases in range without a kept input (opened before policy versions). */
  withoutInput: number;
  next: Cursor | null;
  roles: Record<string, Role>;
  /** Each case's state version as the read model holds it (cases.snapshot_version). */
  stateVersions: Record<string, number>;
}

/**
 * The range a back-test reads as of `asOf`: nothing opened at or after it, whatever `openedTo` says. The
 * count and every page use this one range, so a case opened while the run goes is neither counted nor
 * replayed (was: the pages took it, processed 1,102 of total 1,100).
 */
export function rangeAsOf(range: CaseRange, asOf: string): CaseRange {
  const to = range.openedTo !== undefined && Date.parse(range.openedTo) < Date.parse(asOf) ? range.openedTo : asOf;
  return { ...range, openedTo: to };
}

function rangeWhere(range: CaseRange, after: Cursor | null): SQL | undefined {
  const conds: SQL[] = [];
  if (range.openedFrom) conds.push(gte(cases.openedAt, new Date(range.openedFrom)));
  if (range.openedTo) conds.push(lt(cases.openedAt, new Date(range.openedTo)));
  if (range.orgIds && range.orgIds.length > 0) conds.push(inArray(cases.orgId, range.orgIds));
  if (range.programs && range.programs.length > 0) conds.push(inArray(cases.entitlement, range.programs));
  if (range.openOnly) conds.push(ne(cases.status, 'closed'));
  if (range.levels && range.levels.length > 0) conds.push(inArray(cases.level, range.levels));
  if (after) {
    const at = new Date(after.openedAt);
    conds.push(or(gt(cases.openedAt, at), and(eq(cases.openedAt, at), gt(cases.id, after.id)))!);
  }
  return conds.length > 0 ? and(...conds) : undefined;
}

/** Number of cases in the range (for progress). */
export async function countCases(db: Db, range: CaseRange): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(cases)
    .where(rangeWhere(range, null));
  return row?.n ?? 0;
}

export async function readCasePage(db: Db, range: CaseRange, after: Cursor | null, limit: number): Promise<CasePage> {
  const rows = await db
    .select({ id: cases.id, openedAt: cases.openedAt, input: caseInputs.input, stateVersion: cases.snapshotVersion })
    .from(cases)
    .leftJoin(caseInputs, eq(caseInputs.caseId, cases.id))
    .where(rangeWhere(range, after))
    .orderBy(asc(cases.openedAt), asc(cases.id))
    .limit(limit);
  const withInput = rows.filter((r) => r.input !== null);
  const ids = withInput.map((r) => r.id);
  const events =
    ids.length === 0
      ? []
      : await db.select().from(caseEvents).where(inArray(caseEvents.caseId, ids)).orderBy(asc(caseEvents.caseId), asc(caseEvents.id)); // write order = the machine's order
  const byCase = new Map<string, RecordedCase['events']>(ids.map((id) => [id, []]));
  const actors = new Set<string>();
  for (const e of events) {
    byCase
      .get(e.caseId)!
      .push({ key: e.eventKey, type: e.type, actorId: e.actorId, at: e.occurredAt.getTime(), data: e.data as Record<string, unknown> });
    actors.add(e.actorId);
  }
  const roleRows =
    actors.size === 0
      ? []
      : await db
          .select({ id: principals.id, role: principals.role })
          .from(principals)
          .where(inArray(principals.id, [...actors])); // disabled people acted too
  const last = rows[rows.length - 1];
  return {
    cases: withInput.map((r) => ({ input: r.input as CaseWorkflowInput, events: byCase.get(r.id)! })),
    withoutInput: rows.length - withInput.length,
    next: rows.length === limit && last ? { openedAt: last.openedAt.toISOString(), id: last.id } : null,
    roles: Object.fromEntries(roleRows.map((r) => [r.id, r.role as Role])),
    stateVersions: Object.fromEntries(withInput.map((r) => [r.id, r.stateVersion])),
  };
}
