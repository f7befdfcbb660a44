/**
 * Severity 1 pages must be acknowledged. A page (around-the-clock work starts, or a follow-the-sun hand-off)
 * waits `pageAckMinutes` of wall-clock time for a person to acknowledge it; unacknowledged, it escalates to
 * the region's fallback on-call, then, after another window, to the duty manager, where it stays. A newer
 * page (the next hand-off, a reopen) supersedes the open one (the `handoff` event says so); the end of around-the-clock work withdraws it.
 * The customer's availability does not pause it: the page is the vendor's promise to answer.
 *
 * Only when `m.pageEscalation` (the workflow's `patched('page-escalation')`): cases that began before this
 * existed replay exactly as they ran, with no page state, timers or notices of it.
 */
import type { SunRegion } from '../policy/types';
import type { Actor, PageView } from '../contract/case';
import { refusal, type Refusal } from '../contract/refusals';
import type { PageState } from './state';
import { iso, type Machine } from './context';
import * as notices from './notices';
import { record, touch } from './recording';

const isOpen = (p: PageState | null | undefined): p is PageState => !!p && p.acknowledgedAt === null && !p.withdrawnAt;

/** The page notice itself was just queued (notices.aroundTheClockPage / handoff); now wait for its acknowledgement. */
export function trackPage(m: Machine, kind: PageState['kind'], region: SunRegion, now: number, cause: string): void {
  if (!m.pageEscalation) return;
  m.s.page = {
    kind,
    region,
    pagedAt: now,
    cause,
    level: 0,
    escalateAt: now + m.settings.pageAckMinutes * 60_000,
    acknowledgedAt: null,
    acknowledgedBy: null,
  };
}

/** When the open page escalates next (a due instant of timers.nextWakeAt). */
export function pageEscalatesAt(m: Machine): number | null {
  return m.pageEscalation && isOpen(m.s.page) ? m.s.page.escalateAt : null;
}

/** Timer: the window passed without an acknowledgement, so the next one in the chain is paged. */
export function firePageEscalation(m: Machine, now: number): void {
  const page = m.s.page;
  if (!m.pageEscalation || !isOpen(page) || page.escalateAt === null || page.escalateAt > now) return;
  const chain = notices.pageChain(page.region);
  const level = page.level + 1;
  const last = level >= chain.length - 1;
  const cause = `${page.cause}:L${level}`;
  const facts = {
    from: chain[page.level]!,
    to: chain[level]!,
    level,
    pagedAt: iso(page.pagedAt),
    unacknowledgedMinutes: Math.round((now - page.pagedAt) / 60_000),
  };
  m.s.page = { ...page, level, escalateAt: last ? null : now + m.settings.pageAckMinutes * 60_000 };
  record(m, 'page_escalated', 'system', now, cause, facts);
  notices.pageEscalation(m, cause, page.region, page.kind, facts);
  touch(m);
}

/** Why an acknowledgement is refused, or null. */
export function pageAckRefusal(m: Machine): Refusal | null {
  const page = m.s.page;
  if (!m.pageEscalation)
    return refusal('page-not-tracked', 'This case began before page acknowledgements were tracked; there is nothing to acknowledge');
  if (!page) return refusal('no-page', 'There is no page on this case to acknowledge');
  if (page.acknowledgedAt !== null)
    return refusal('page-already-acknowledged', `The page was already acknowledged by ${page.acknowledgedBy}`, {
      by: page.acknowledgedBy ?? '',
    });
  if (page.withdrawnAt) return refusal('page-withdrawn', 'The page was withdrawn: around-the-clock work on this case ended');
  return null;
}

export function acknowledgePage(m: Machine, actor: Actor, requestId: string, now: number, note?: string): void {
  const page = m.s.page!;
  record(m, 'page_acknowledged', actor.id, now, requestId, {
    level: page.level,
    recipient: notices.pageChain(page.region)[page.level],
    pagedAt: iso(page.pagedAt),
    afterMs: now - page.pagedAt,
    note: note ?? null,
  });
  m.s.page = { ...page, acknowledgedAt: now, acknowledgedBy: actor.id, escalateAt: null };
}

/** Around-the-clock work ended (resolved, closed, severity lowered): nobody needs to be woken any more. */
export function withdrawPage(m: Machine, now: number, cause: string, why: string): void {
  const page = m.s.page;
  if (!m.pageEscalation || !isOpen(page)) return;
  record(m, 'page_withdrawn', 'system', now, cause, { level: page.level, why });
  m.s.page = { ...page, escalateAt: null, withdrawnAt: now };
}

export function pageView(m: Machine): PageView | null {
  const page = m.s.page;
  if (!page) return null;
  return {
    kind: page.kind,
    region: page.region,
    pagedAt: iso(page.pagedAt)!,
    escalationLevel: page.level,
    recipient: notices.pageChain(page.region)[page.level]!,
    escalatesAt: iso(page.escalateAt),
    acknowledgedAt: iso(page.acknowledgedAt),
    acknowledgedBy: page.acknowledgedBy,
    withdrawnAt: iso(page.withdrawnAt ?? null),
  };
}
