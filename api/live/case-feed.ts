/**
 * Case changes for live views, read from the shared read model: one poller per API process reads new
 * case_events rows (by id) every `intervalMs` while anyone listens and fans them out to subscribers. Works
 * with several API instances because every instance reads the same database; the event id is
 * case_events.id, so a client resumes with Last-Event-ID.
 */
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { caseEvents, cases } from '../../db/schema';

export interface CaseChange {
  id: number;
  caseId: string;
  caseNumber: number;
  orgId: string;
  type: string;
  occurredAt: string;
  status: string;
  slaState: string;
  nextDueAt: string | null;
}

export interface CaseFeed {
  /** Calls `listener` with every change after now; returns the unsubscribe function. */
  subscribe(listener: (change: CaseChange) => void): () => void;
  /** Changes after `afterId` the given organisations may see (null: all), oldest first. */
  since(afterId: number, orgIds: string[] | null, limit: number): Promise<CaseChange[]>;
  close(): void;
}

const BATCH = 500;

export function createCaseFeed(db: Db, intervalMs = 250): CaseFeed {
  const listeners = new Set<(change: CaseChange) => void>();
  let lastId: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let polling = false;

  async function read(afterId: number, orgIds: string[] | null, limit: number): Promise<CaseChange[]> {
    const rows = await db
      .select({
        id: caseEvents.id,
        caseId: caseEvents.caseId,
        type: caseEvents.type,
        occurredAt: caseEvents.occurredAt,
        caseNumber: cases.number,
        orgId: cases.orgId,
        status: cases.status,
        slaState: cases.slaState,
        nextDueAt: cases.nextDueAt,
      })
      .from(caseEvents)
      .innerJoin(cases, eq(cases.id, caseEvents.caseId))
      .where(and(gt(caseEvents.id, afterId), orgIds ? inArray(cases.orgId, orgIds) : undefined))
      .orderBy(asc(caseEvents.id))
      .limit(limit);
    return rows.map((r) => ({ ...r, occurredAt: r.occurredAt.toISOString(), nextDueAt: r.nextDueAt?.toISOString() ?? null }));
  }

  async function poll(): Promise<void> {
    if (polling) return;
    polling = true;
    try {
      if (lastId === undefined) {
        const [{ max }] = await db.select({ max: sql<number | null>`max(${caseEvents.id})` }).from(caseEvents);
        lastId = Number(max ?? 0);
        return;
      }
      for (;;) {
        const changes = await read(lastId, null, BATCH);
        for (const change of changes) {
          lastId = change.id;
          for (const listener of listeners) listener(change);
        }
        if (changes.length < BATCH) break;
      }
    } catch {
      // The database is briefly unavailable: the next tick retries from the same id.
    } finally {
      polling = false;
    }
  }

  function start(): void {
    if (timer) return;
    timer = setInterval(() => void poll(), intervalMs);
    timer.unref();
    void poll();
  }

  function stop(): void {
    if (timer) clearInterval(timer);
    timer = undefined;
    lastId = undefined;
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      start();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stop();
      };
    },
    since: read,
    close: stop,
  };
}
