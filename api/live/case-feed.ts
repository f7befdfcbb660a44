/**
 * Case changes for live views, read from the shared read model: one poller per API process reads new
 * case_events rows (by id) every `intervalMs` while anyone listens and fans them out to subscribers. Works
 * with several API instances because every instance reads the same database.
 *
 * Ids are assigned at insert but visible at commit, so rows can appear out of id order: the poller keeps the
 * ids it stepped over open for `gapGraceMs` and re-reads them (GapTracker). A subscriber's resume position is
 * therefore not simply the highest id it got but `safePosition(...)`: below the lowest id still open, so a
 * reconnect with it replays any change that commits late (and possibly some it already had).
 */
import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { caseEvents, cases } from '../../db/schema';
import { GapTracker } from './gap-tracker';

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
  /** Calls `listener` with every change the poller reads from now on (late commits included); returns the unsubscribe function. */
  subscribe(listener: (change: CaseChange) => void): () => void;
  /** Where the poller stands now (`last`: the highest id read) and the safe resume position below it. */
  head(): Promise<{ last: number; safe: number }>;
  /** The highest position <= `upTo` below which the poller has read (or given up) every id. */
  safePosition(upTo: number): number;
  /** Polls now (again right after a poll under way): a write just committed. */
  nudge(): void;
  /** Changes after `afterId` the given organisations may see (null: all), oldest first. */
  since(afterId: number, orgIds: string[] | null, limit: number): Promise<CaseChange[]>;
  close(): void;
}

export interface CaseFeedOptions {
  intervalMs?: number;
  /** How long a skipped id is re-read before it is given up (rolled back or burnt). */
  gapGraceMs?: number;
  /** Ids this far below the head are treated as possibly in flight when the poller starts. */
  startLookback?: number;
  now?: () => number;
}

const BATCH = 500;

export function createCaseFeed(db: Db, options: CaseFeedOptions = {}): CaseFeed {
  const { intervalMs = 100, gapGraceMs = 10_000, startLookback = 200, now = Date.now } = options;
  const listeners = new Set<(change: CaseChange) => void>();
  let gaps = new GapTracker(gapGraceMs);
  let lastId: number | undefined;
  let starting: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let polling = false;
  let again = false;

  async function read(where: SQL | undefined, limit: number): Promise<CaseChange[]> {
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
      .where(where)
      .orderBy(asc(caseEvents.id))
      .limit(limit);
    return rows.map((r) => ({ ...r, occurredAt: r.occurredAt.toISOString(), nextDueAt: r.nextDueAt?.toISOString() ?? null }));
  }

  /** Starts at the newest id; the ids missing just below it may belong to transactions still in flight. */
  async function init(): Promise<void> {
    const [{ max }] = await db.select({ max: sql<number | null>`max(${caseEvents.id})` }).from(caseEvents);
    const head = Number(max ?? 0);
    const recent = await db
      .select({ id: caseEvents.id })
      .from(caseEvents)
      .where(gt(caseEvents.id, head - startLookback))
      .orderBy(asc(caseEvents.id));
    let previous = Math.max(0, head - startLookback);
    for (const { id } of recent) {
      gaps.skipped(previous, id, now());
      previous = id;
    }
    lastId = head;
  }

  const emit = (change: CaseChange) => {
    for (const listener of listeners) listener(change);
  };

  async function poll(): Promise<void> {
    if (polling) {
      again = true;
      return;
    }
    if (lastId === undefined) {
      start().catch(() => undefined);
      return;
    }
    polling = true;
    try {
      const open = gaps.pending(now());
      if (open.length > 0) {
        for (const change of await read(inArray(caseEvents.id, open), open.length)) {
          gaps.filled(change.id);
          emit(change);
        }
      }
      for (;;) {
        const changes = await read(gt(caseEvents.id, lastId), BATCH);
        for (const change of changes) {
          gaps.skipped(lastId, change.id, now());
          lastId = change.id;
          emit(change);
        }
        if (changes.length < BATCH) break;
      }
    } catch {
      // The database is briefly unavailable: the next tick retries from the same id and the same gaps.
    } finally {
      polling = false;
    }
    if (again) {
      again = false;
      await poll();
    }
  }

  function start(): Promise<void> {
    if (!timer) {
      timer = setInterval(() => void poll(), intervalMs);
      timer.unref();
    }
    starting ??= init().catch((err: unknown) => {
      starting = undefined; // the next tick (or stream) tries again
      throw err;
    });
    return starting;
  }

  function safePosition(upTo: number): number {
    const low = gaps.lowest();
    return Math.min(upTo, lastId ?? 0, low === null ? Infinity : low - 1);
  }

  function stop(): void {
    if (timer) clearInterval(timer);
    timer = undefined;
    starting = undefined;
    lastId = undefined;
    gaps = new GapTracker(gapGraceMs);
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      start().catch(() => undefined); // head() reports a failed start to the stream that needs it
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stop();
      };
    },
    async head() {
      await start();
      return { last: lastId ?? 0, safe: safePosition(lastId ?? 0) };
    },
    safePosition,
    nudge: () => {
      if (timer && lastId !== undefined) void poll();
    },
    since: (afterId, orgIds, limit) => read(and(gt(caseEvents.id, afterId), orgIds ? inArray(cases.orgId, orgIds) : undefined), limit),
    close: stop,
  };
}
