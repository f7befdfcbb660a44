/** What a mail about a case needs from the read model: number, title, language, the organisation's zone. */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { caseEvents, cases, organisations } from '../../db/schema';
import type { CaseView } from '../../contract/case';

export interface CaseFacts {
  caseId: string;
  number: number;
  title: string;
  language: string;
  orgId: string;
  orgName: string;
  zone: string;
  openedBy: string;
  view: CaseView;
}

export async function loadCaseFacts(db: Db, caseId: string): Promise<CaseFacts | null> {
  const [row] = await db
    .select({
      number: cases.number,
      title: cases.title,
      language: cases.language,
      orgId: cases.orgId,
      openedBy: cases.openedBy,
      snapshot: cases.snapshot,
      orgName: organisations.name,
      zone: organisations.timeZone,
    })
    .from(cases)
    .innerJoin(organisations, eq(organisations.id, cases.orgId))
    .where(eq(cases.id, caseId));
  if (!row) return null;
  return { ...row, caseId, view: row.snapshot as CaseView };
}

export interface InfoRequestFacts {
  message: string;
  attempts: number;
  closesAt: string | null;
}

/** The engineer's question of a contact round and when the case closes if it stays unanswered. */
export async function loadInfoRequest(db: Db, caseId: string, round: number): Promise<InfoRequestFacts | null> {
  const [event] = await db
    .select({ data: caseEvents.data })
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.type, 'info_requested'), sql`${caseEvents.data}->>'round' = ${String(round)}`))
    .orderBy(desc(caseEvents.id))
    .limit(1);
  if (!event) return null;
  const data = event.data as { message?: string; attempts?: unknown[]; closesIfUnansweredAt?: string | null };
  return { message: data.message ?? '', attempts: data.attempts?.length ?? 0, closesAt: data.closesIfUnansweredAt ?? null };
}
