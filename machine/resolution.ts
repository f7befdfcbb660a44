/**
 * Resolution, root-cause analysis and closing: an engineer resolves (the case closes by itself after
 * `resolutionAutoCloseBusinessDays` whole business days without an answer), the customer confirms or rejects
 * (reopen), anyone may ask to close; a Premium Severity 1 needs a root-cause analysis, and its workflow
 * runs until the analysis is delivered. `close` and `reopen` are the two transitions other rules reuse.
 */
import { nextBusinessDays, outOfScopeReferral, rcaRequired } from '../policy';
import type { Actor, CloseReason, ConfirmResolutionInput, ResolveInput } from '../contract/case';
import { clockIsActive } from './clock-view';
import { qualifiesForAroundTheClock, startAroundTheClock, stopAroundTheClock } from './around-the-clock';
import { respond, retire } from './clocks';
import { cancelContactAttempts } from './contact-attempts';
import { iso, type Machine } from './context';
import * as notices from './notices';
import { record, setStatus } from './recording';

export function resolve(m: Machine, { actor, requestId, resolutionType, summary, outOfScope }: ResolveInput, now: number): void {
  respond(m, actor, requestId, now);
  if (m.s.status === 'awaiting_customer') cancelContactAttempts(m, now, requestId, actor.id);
  if (m.s.aroundTheClock) stopAroundTheClock(m, now, requestId, actor.id, 'resolved');
  // Only an out-of-scope referral carries a category (new input: histories without it replay unchanged).
  const referral = resolutionType === 'out_of_scope_referral' && outOfScope ? outOfScopeReferral(outOfScope) : null;
  m.s.resolution = referral ? { type: resolutionType, summary, outOfScope: referral.category } : { type: resolutionType, summary };
  m.s.resolvedAt = now;
  m.s.autoCloseAt = autoCloseInstant(m, now);
  setStatus(m, 'resolved', now, actor.id, requestId);
  record(m, 'resolved', actor.id, now, requestId, {
    resolutionType,
    summary,
    autoCloseAt: iso(m.s.autoCloseAt),
    ...(referral ? { outOfScope: referral.category, referredTo: referral.referredTo } : {}),
  });
  // The customer is told why Support refers the request, in the policy's words, after the engineer's summary.
  notices.caseResolved(m, requestId, resolutionType, referral ? `${summary}\n\n${referral.explanation}` : summary, m.s.autoCloseAt);
  if (!m.s.rca && rcaRequired(m.input.entitlement, m.s.worstLevel)) {
    m.s.rca = { required: true, deliveredAt: null };
    record(m, 'rca_required', 'system', now, requestId, { level: m.s.worstLevel });
    notices.rcaRequired(m, requestId, m.s.worstLevel);
  }
}

export function confirmResolution(m: Machine, { actor, requestId, accepted, comment }: ConfirmResolutionInput, now: number): void {
  record(m, accepted ? 'resolution_confirmed' : 'resolution_rejected', actor.id, now, requestId, { comment: comment ?? null });
  if (accepted) close(m, now, 'confirmed', requestId, actor.id);
  else {
    reopen(m, now, requestId, actor.id, 'customer rejected the resolution');
    notices.resolutionRejected(m, requestId, actor, comment ?? null);
  }
}

export function closeCase(m: Machine, actor: Actor, requestId: string, now: number, reason?: string): void {
  record(m, 'close_requested', actor.id, now, requestId, { reason: reason ?? null });
  // The state keeps the reason it always recorded (replay); the notice says who closed it.
  close(m, now, 'customer_request', requestId, actor.id, actor);
}

export function rcaDelivered(m: Machine, actor: Actor, requestId: string, now: number, summary: string): void {
  m.s.rca!.deliveredAt = now;
  record(m, 'rca_delivered', actor.id, now, requestId, { summary });
  notices.rcaDelivered(m, requestId, summary);
}

/** Timer: the resolution went unanswered for N business days. */
export function fireAutoClose(m: Machine, now: number): void {
  if (m.s.autoCloseAt !== null && m.s.autoCloseAt <= now) {
    const cause = `timer@${iso(m.s.autoCloseAt)}`;
    close(m, now, 'resolution_timeout', cause, 'system');
  }
}

/** Back to work: the resolution is void; Severity 1 on a 24/7 program goes around the clock again. */
export function reopen(m: Machine, now: number, cause: string, actorId: string, why: string): void {
  m.s.resolution = null;
  m.s.resolvedAt = null;
  m.s.autoCloseAt = null;
  setStatus(m, 'in_progress', now, actorId, cause);
  record(m, 'reopened', actorId, now, cause, { why });
  if (qualifiesForAroundTheClock(m, m.s.level)) startAroundTheClock(m, now, cause, actorId);
}

/** Closes the case: attempts cancelled, around-the-clock stopped, every active clock retired. */
export function close(m: Machine, now: number, reason: CloseReason, cause: string, actorId: string, by: Actor | null = null): void {
  cancelContactAttempts(m, now, cause, actorId);
  if (m.s.aroundTheClock) stopAroundTheClock(m, now, cause, actorId, 'closed');
  for (const name of Object.keys(m.s.clocks)) {
    if (clockIsActive(m.s.clocks[name]!)) retire(m, name, now);
  }
  m.s.autoCloseAt = null;
  m.s.closedAt = now;
  m.s.closeReason = reason;
  setStatus(m, 'closed', now, actorId, cause);
  record(m, 'closed', actorId, now, cause, { reason });
  // The unanswered-attempts closure has its own notice, raised by the contact rule with the attempt count.
  if (reason !== 'no_customer_response') notices.caseClosed(m, cause, reason, by);
}

/** End of the N-th whole business day after the resolution (a day already begun does not count). */
function autoCloseInstant(m: Machine, now: number): number {
  const n = m.settings.resolutionAutoCloseBusinessDays;
  return nextBusinessDays(m.input.businessCalendar, now, n)[n - 1]!.closesAt;
}
