/**
 * The conversation on a case: an engineer responds or requests information (which schedules the contact
 * attempts), the customer replies (which cancels the remaining attempts, or reopens a resolved case), and a
 * case whose last contact attempt goes unanswered closes at the end of that attempt's business day.
 */
import type { Actor, ReplyAttachment } from '../contract/case';
import { restartUpdateCadence } from './around-the-clock';
import { respond } from './clocks';
import { attemptFacts, cancelContactAttempts, scheduleContactAttempts } from './contact-attempts';
import { iso, type Machine } from './context';
import * as notices from './notices';
import { record, setStatus } from './recording';
import { close, reopen } from './resolution';

export function engineerResponse(m: Machine, actor: Actor, requestId: string, now: number, message?: string): void {
  const first = m.s.firstResponseAt === null;
  respond(m, actor, requestId, now);
  record(m, 'engineer_response', actor.id, now, requestId, { message: message ?? null });
  if (m.s.aroundTheClock) restartUpdateCadence(m, now, requestId);
  notices.engineerResponded(m, requestId, actor, message, first);
}

/** Staff only: recorded on the trail for staff, told to nobody, changes no clock (contract/audit-events.ts). */
export function internalNote(
  m: Machine,
  actor: Actor,
  requestId: string,
  now: number,
  message: string,
  attachments?: ReplyAttachment[],
): void {
  // A note without files records what it always did (replay-safe); its files are as internal as the note.
  const files = Array.isArray(attachments) && attachments.length > 0 ? { attachments } : {};
  record(m, 'internal_note', actor.id, now, requestId, { message, ...files });
}

export function requestInfo(m: Machine, actor: Actor, requestId: string, now: number, message: string): void {
  respond(m, actor, requestId, now);
  const { round, attempts } = scheduleContactAttempts(m, now);
  setStatus(m, 'awaiting_customer', now, actor.id, requestId);
  record(m, 'info_requested', actor.id, now, requestId, {
    round,
    message,
    attempts: attemptFacts(attempts),
    closesIfUnansweredAt: iso(m.s.contactCloseAt),
  });
  notices.infoRequested(m, requestId, round, message);
}

/** `email` carries where a reply by email came from (via, Message-ID, attachments); empty for API replies. */
export function customerReply(
  m: Machine,
  actor: Actor,
  requestId: string,
  now: number,
  message?: string,
  email: Record<string, unknown> = {},
): void {
  record(m, 'customer_reply', actor.id, now, requestId, { message: message ?? null, ...email });
  const reopens = m.s.status === 'resolved';
  if (m.s.status === 'awaiting_customer') {
    cancelContactAttempts(m, now, requestId, actor.id);
    setStatus(m, 'in_progress', now, actor.id, requestId);
  } else if (reopens) {
    reopen(m, now, requestId, actor.id, 'customer replied after resolution');
  }
  notices.customerReplied(m, requestId, message ?? null, email, reopens);
}

/** Timer: the last contact attempt's business day ended without a reply. */
export function fireContactClose(m: Machine, now: number): void {
  if (m.s.contactCloseAt !== null && m.s.contactCloseAt <= now) {
    const cause = `timer@${iso(m.s.contactCloseAt)}`;
    record(m, 'contact_attempts_exhausted', 'system', now, cause, { round: m.s.contactRound });
    notices.closedNoCustomerResponse(m, cause);
    close(m, now, 'no_customer_response', cause, 'system');
  }
}
