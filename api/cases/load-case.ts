/** Finds a case by id or number, visible to the principal; anything else is a 404, so nothing leaks. */
import type { Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { cases } from '../../db/schema';
import { getCaseQuery, type CaseView } from '../../contract/case';
import { canSeeOrg, type Principal } from '../principal';
import { notFound } from '../problem';
import type { CaseRow, ViewSource } from './case-resource';

export async function loadCase(db: Db, principal: Principal, ref: string): Promise<CaseRow> {
  const byNumber = /^[0-9]+$/.test(ref);
  const [row] = await db
    .select()
    .from(cases)
    .where(byNumber ? eq(cases.number, Number(ref)) : eq(cases.id, ref))
    .limit(1);
  if (!row || !canSeeOrg(principal, row.orgId)) throw notFound('case');
  return row;
}

const QUERY_DEADLINE_MS = 3000;

/** The workflow's live state; the stored snapshot when the workflow cannot answer (e.g. long closed). */
export async function liveView(temporal: Client, row: CaseRow): Promise<{ view: CaseView; source: ViewSource }> {
  try {
    const handle = temporal.workflow.getHandle(row.workflowId);
    const view = await temporal.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => handle.query(getCaseQuery));
    return { view, source: 'workflow' };
  } catch {
    return { view: row.snapshot as CaseView, source: 'read_model' };
  }
}
