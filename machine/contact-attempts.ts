/**
 * The contact attempts after a request for information: `settings.contactAttempts` attempts on distinct
 * business days of the organisation's business calendar at `settings.contactAttemptTime`, each made when its
 * time comes, all remaining ones cancelled by a reply or a close. What the attempts are for (request, reply,
 * the close after the last unanswered one): conversation.ts.
 */
import { nextBusinessDays } from '../policy';
import { iso, type Machine } from './context';
import * as notices from './notices';
import { record, touch } from './recording';
import type { ContactAttemptState } from './state';

/** Schedules the next round of attempts; the case closes at the end of the last attempt's business day. */
export function scheduleContactAttempts(m: Machine, now: number): { round: number; attempts: ContactAttemptState[] } {
  const round = ++m.s.contactRound;
  const days = nextBusinessDays(m.input.businessCalendar, now, m.settings.contactAttempts, {
    at: m.settings.contactAttemptTime,
  });
  const attempts: ContactAttemptState[] = days.map((d, i) => ({
    round,
    attempt: i + 1,
    businessDate: d.date,
    scheduledAt: d.at,
    closesAt: d.closesAt,
    madeAt: null,
    status: 'scheduled',
  }));
  m.s.contactAttempts.push(...attempts);
  m.s.contactCloseAt = attempts.length > 0 ? attempts[attempts.length - 1]!.closesAt : null;
  return { round, attempts };
}

/** The audit form of a round's attempts. */
export function attemptFacts(attempts: ContactAttemptState[]): Array<Record<string, unknown>> {
  return attempts.map((a) => ({ attempt: a.attempt, businessDate: a.businessDate, scheduledAt: iso(a.scheduledAt) }));
}

/** Timer: makes every attempt whose time has come. */
export function fireContactAttempts(m: Machine, now: number): void {
  for (const a of m.s.contactAttempts) {
    if (a.status === 'scheduled' && a.scheduledAt <= now) makeContactAttempt(m, a, now);
  }
}

export function cancelContactAttempts(m: Machine, now: number, cause: string, actorId: string): void {
  const cancelled = m.s.contactAttempts.filter((a) => a.status === 'scheduled');
  for (const a of cancelled) a.status = 'cancelled';
  m.s.contactCloseAt = null;
  if (cancelled.length > 0) record(m, 'contact_attempts_cancelled', actorId, now, cause, { attempts: cancelled.map((a) => a.attempt) });
}

function makeContactAttempt(m: Machine, a: ContactAttemptState, now: number): void {
  a.status = 'made';
  a.madeAt = now;
  const cause = `contact:${a.round}:${a.attempt}`;
  record(m, 'contact_attempt', 'system', now, cause, { round: a.round, attempt: a.attempt, businessDate: a.businessDate });
  notices.contactAttempt(m, cause, a);
  touch(m);
}
