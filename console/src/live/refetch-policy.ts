/**
 * Which cached queries a live case change concerns (pure, so it is unit-testable): the stream announces
 * every change the caller may see, and most of them are about cases no view on screen shows. A query is
 *
 * - `now`: certainly concerned (its case, a case on its page, a change its list filters for); refetched at
 *   once, bursts coalesced (useCaseChanges);
 * - `later`: possibly concerned, in a way the change does not tell (an aggregate such as the SLA report, or
 *   a list's total beyond its first page); refetched at most every LATER_MS while changes keep coming;
 * - `no`: not concerned (reference data, another case's page, another organisation's portal).
 *
 * Queue-shaped queries are keyed ['queue', params] with the GET /v1/queue parameters.
 */
import type { QueryClient } from '@tanstack/react-query';
import type { CaseChange, QueuePage } from '../server-api/types';

export type Concern = 'now' | 'later' | 'no';

/** Audit event types that start, move or end a Severity 1 page. */
const PAGE_EVENTS = new Set([
  'around_the_clock_started',
  'around_the_clock_stopped',
  'handoff',
  'page_escalated',
  'page_acknowledged',
  'page_withdrawn',
  'customer_available',
  'customer_unavailable',
]);
/** Audit event types that start, move or end a talk-to-a-manager request. */
const MANAGER_EVENTS = new Set(['manager_requested', 'manager_escalated', 'manager_acknowledged', 'manager_escalation_exhausted']);
/** Reference data and the session: no case change touches them. */
const REFERENCE = new Set([
  'me',
  'policy',
  'products',
  'organisations',
  'organisation',
  'organisation-contacts',
  'organisation-account-manager',
  'organisation-people',
  'dev-personas',
]);
/** Queries about one case, keyed [kind, case id or number]. */
const CASE_SCOPED = new Set(['case', 'case-events', 'case-notifications', 'case-attachments']);

export interface QueueParams {
  scope?: string;
  severity?: string | number;
  slaState?: string;
  program?: string;
  q?: string;
  page?: number;
  awaiting?: string;
  runningClock?: string;
}

/** The next due instant as the queue sorts it, cases without one last. */
const dueKey = (iso: string | null | undefined) => (iso ? Date.parse(iso) : Number.POSITIVE_INFINITY);

/** A page of GET /v1/queue with these parameters, and a change: can the page or its total be different now? */
export function queueConcern(params: QueueParams, data: QueuePage | undefined, change: CaseChange): Concern {
  if (!data) return 'now';
  if (data.items.some((c) => c.id === change.caseId)) return 'now';
  // Beyond the page are cases this page does not show: whether the change moved one of them in or out of
  // the list (its total), the change does not say.
  const elsewhere: Concern = data.total > data.items.length ? 'later' : 'no';
  if (params.awaiting === 'page') return PAGE_EVENTS.has(change.type) ? 'now' : 'no';
  if (params.runningClock === 'managerAck') return MANAGER_EVENTS.has(change.type) ? 'now' : 'no';
  if (change.status === 'closed') return elsewhere;
  if (params.slaState && change.slaState !== params.slaState) return elsewhere;
  // An open case not on the page that may match: it enters a first page that is not full, or a full one
  // whose last row it sorts before (the queue's order: overdue cases first, then by next due instant; a
  // change does not say since when a case is overdue, only that a clock is breached); later pages shift
  // with every move on the pages before them.
  if ((params.page ?? 1) > 1) return 'now';
  if (data.items.length < data.pageSize) return params.q || params.scope === 'mine' ? 'later' : 'now';
  const last = data.items[data.items.length - 1];
  const entersPage = change.slaState === 'breached' || (!last?.overdueSince && dueKey(change.nextDueAt) < dueKey(last?.nextDueAt));
  if (entersPage) return 'now';
  return change.type === 'opened' ? 'later' : 'no';
}

/** How a change concerns the query with this key and data. */
export function concernOf(queryKey: readonly unknown[], data: unknown, change: CaseChange): Concern {
  const [kind, ref] = queryKey;
  const k = String(kind);
  if (REFERENCE.has(k)) return 'no';
  if (CASE_SCOPED.has(k)) return String(ref) === change.caseId || String(ref) === String(change.caseNumber) ? 'now' : 'no';
  if (k === 'cases') return ref === undefined || ref === change.orgId ? 'now' : 'no';
  if (k === 'queue' && ref && typeof ref === 'object') return queueConcern(ref as QueueParams, data as QueuePage | undefined, change);
  // Aggregates (the SLA reports and their drill-down) and anything unknown.
  return 'later';
}

/** How often a `later` query refetches at most while changes keep coming. */
export const LATER_MS = 15_000;
/** Changes that concern a query `now` within this window after its last refetch share the next one. */
export const COALESCE_MS = 300;

/**
 * Refetches what live changes concern: `now` queries in one round at once, a burst coalesced into rounds at
 * most COALESCE_MS apart; `later` queries at most every LATER_MS. Only queries on screen refetch; the
 * others are marked stale and refetch when shown again.
 */
export function refetchScheduler(client: QueryClient): { note: (change: CaseChange) => void; stop: () => void } {
  const due = { now: new Set<string>(), later: new Set<string>() };
  const timers: { now?: ReturnType<typeof setTimeout>; later?: ReturnType<typeof setTimeout> } = {};
  // The views fetched their data when they mounted: the first `later` round waits a full interval.
  const lastRound = { now: 0, later: performance.now() };
  const round = (tier: 'now' | 'later') => () => {
    timers[tier] = undefined;
    lastRound[tier] = performance.now();
    const hashes = new Set(due[tier]);
    due[tier].clear();
    // A query refetched now needs no later round for the changes before it.
    if (tier === 'now') for (const h of hashes) due.later.delete(h);
    void client.invalidateQueries({ predicate: (q) => hashes.has(q.queryHash) });
  };
  const schedule = (tier: 'now' | 'later', intervalMs: number) => {
    if (due[tier].size > 0) timers[tier] ??= setTimeout(round(tier), Math.max(0, lastRound[tier] + intervalMs - performance.now()));
  };
  return {
    note: (change) => {
      for (const query of client.getQueryCache().getAll()) {
        const concern = concernOf(query.queryKey, query.state.data, change);
        if (concern !== 'no') due[concern].add(query.queryHash);
      }
      schedule('now', COALESCE_MS);
      schedule('later', LATER_MS);
    },
    stop: () => {
      clearTimeout(timers.now);
      clearTimeout(timers.later);
    },
  };
}
