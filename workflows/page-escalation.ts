/**
 * Severity 1 pages must be acknowledged. A page (around-the-clock work starts, or a follow-the-sun hand-off)
 * waits `pageAckMinutes` of wall-clock time for a person to acknowledge it; unacknowledged, it escalates to
 * the region's fallback on-call, then, after another window, to the duty manager, where it stays. A newer
 * page (the next hand-off, a reopen) supersedes the open one; the end of around-the-clock work withdraws it.
 * Plain functions over the page state; the case machine supplies `record` and `notify`, the workflow the
 * timer (the page's `escalateAt` is one more due instant of `nextWakeAt`).
 */
import type { SunRegion } from '../policy/types';
import type { Actor, PageView } from '../contract/case';
import type { NotificationChannel } from '../activities/types';

export interface PageState {
  kind: 'page' | 'handoff';
  region: SunRegion;
  pagedAt: number;
  /** Cause of the original page notice: escalation notices derive their dedupe keys from it. */
  cause: string;
  /** Index into the chain: 0 on-call, 1 fallback on-call, 2 duty manager. */
  level: number;
  escalateAt: number | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  withdrawnAt?: number | null;
}

export interface PageEffects {
  record(type: string, actorId: string, at: number, cause: string, data: Record<string, unknown>): void;
  notify(kind: string, recipient: string, channel: NotificationChannel, cause: string, payload: Record<string, unknown>): void;
}

/** Who holds a page at each escalation level (resolved to people by the delivery side; docs/notifications.md). */
export function pageChain(region: SunRegion): string[] {
  return [`oncall:${region}`, `oncall:${region}:fallback`, 'manager:duty'];
}

const isOpen = (p: PageState | null | undefined): p is PageState => !!p && p.acknowledgedAt === null && !p.withdrawnAt;

/** The page notice itself was just queued by the caller; this starts waiting for its acknowledgement. */
export function openPage(
  previous: PageState | null | undefined,
  fx: PageEffects,
  o: { kind: PageState['kind']; region: SunRegion; now: number; cause: string; ackMinutes: number },
): PageState {
  if (isOpen(previous)) {
    fx.record('page_superseded', 'system', o.now, o.cause, {
      pagedAt: new Date(previous.pagedAt).toISOString(),
      level: previous.level,
      by: o.kind,
    });
  }
  return {
    kind: o.kind,
    region: o.region,
    pagedAt: o.now,
    cause: o.cause,
    level: 0,
    escalateAt: o.now + o.ackMinutes * 60_000,
    acknowledgedAt: null,
    acknowledgedBy: null,
  };
}

/** Timer: the window passed without an acknowledgement, so the next one in the chain is paged. */
export function escalateIfDue(
  page: PageState,
  fx: PageEffects,
  now: number,
  ackMinutes: number,
  facts: Record<string, unknown>,
): PageState {
  if (!isOpen(page) || page.escalateAt === null || page.escalateAt > now) return page;
  const chain = pageChain(page.region);
  const level = page.level + 1;
  const cause = `${page.cause}:L${level}`;
  const last = level >= chain.length - 1;
  const next = { ...page, level, escalateAt: last ? null : now + ackMinutes * 60_000 };
  const data = {
    from: chain[page.level],
    to: chain[level],
    level,
    pagedAt: new Date(page.pagedAt).toISOString(),
    unacknowledgedMinutes: Math.round((now - page.pagedAt) / 60_000),
  };
  fx.record('page_escalated', 'system', now, cause, data);
  fx.notify('page_escalation', chain[level]!, 'page', cause, { ...facts, ...data, region: page.region, kind: page.kind });
  return next;
}

export function validateAck(page: PageState | null | undefined): string | null {
  if (!page) return 'There is no page on this case to acknowledge';
  if (page.acknowledgedAt !== null) return `The page was already acknowledged by ${page.acknowledgedBy}`;
  if (page.withdrawnAt) return 'The page was withdrawn: around-the-clock work on this case ended';
  return null;
}

export function acknowledge(page: PageState, fx: PageEffects, actor: Actor, requestId: string, now: number, note?: string): PageState {
  fx.record('page_acknowledged', actor.id, now, requestId, {
    level: page.level,
    recipient: pageChain(page.region)[page.level],
    pagedAt: new Date(page.pagedAt).toISOString(),
    afterMs: now - page.pagedAt,
    note: note ?? null,
  });
  return { ...page, acknowledgedAt: now, acknowledgedBy: actor.id, escalateAt: null };
}

/** Around-the-clock work ended (resolved, closed, severity lowered): nobody needs to be woken any more. */
export function withdraw(page: PageState | null | undefined, fx: PageEffects, now: number, cause: string, why: string): PageState | null {
  if (!isOpen(page)) return page ?? null;
  fx.record('page_withdrawn', 'system', now, cause, { level: page.level, why });
  return { ...page, escalateAt: null, withdrawnAt: now };
}

export function pageView(page: PageState | null | undefined): PageView | null {
  if (!page) return null;
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    kind: page.kind,
    region: page.region,
    pagedAt: iso(page.pagedAt)!,
    escalationLevel: page.level,
    recipient: pageChain(page.region)[page.level]!,
    escalatesAt: iso(page.escalateAt),
    acknowledgedAt: iso(page.acknowledgedAt),
    acknowledgedBy: page.acknowledgedBy,
    withdrawnAt: iso(page.withdrawnAt ?? null),
  };
}
