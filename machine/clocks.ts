/**
 * The first-response clock and what every SLA clock shares: its deadline on the program's coverage calendar,
 * the first engineer action that stops it (met or breached, with the exact lateness), retiring a clock whose
 * obligation ended, and the facts an audit event records about a clock. Warnings and breaches: clock-alerts.ts.
 */
import { computeDeadline, startClock, stopClock, targetOf, type DeadlineResult } from '../policy';
import type { Level } from '../policy/types';
import type { Actor } from '../contract/case';
import { clockIsActive, clockView } from './clock-view';
import { FIRST_RESPONSE, type Machine } from './context';
import { record, setStatus } from './recording';

/** The first-response target of `level`, counted from `at` on the program's coverage calendar. */
export function firstResponseDeadline(m: Machine, at: number, level: Level): DeadlineResult {
  // A migrated case follows the version it was moved to (migration.ts); others their pinned input.
  const policy = m.s.migratedPolicy?.policy ?? m.input.policy;
  return computeDeadline({
    openedAt: at,
    entitlement: m.input.entitlement,
    level,
    caseType: m.input.type,
    coverage: m.s.migratedPolicy?.coverage ?? m.input.coverage,
    ...(policy ? { target: targetOf(m.input.entitlement, level, policy) } : {}),
  });
}

/** Starts the first-response clock of a new case; returns its deadline for the opening event. */
export function startFirstResponseClock(m: Machine, openedAt: number): DeadlineResult {
  const deadline = firstResponseDeadline(m, openedAt, m.input.level);
  m.s.clocks[FIRST_RESPONSE] = startClock({
    name: FIRST_RESPONSE,
    at: openedAt,
    deadline,
    calendar: m.input.coverage,
    thresholds: m.settings.warningThresholds,
  });
  return deadline;
}

/** The first engineer action stops the first-response clock (met or breached, with the exact lateness). */
export function respond(m: Machine, actor: Actor, cause: string, now: number): void {
  if (m.s.ownerId === null && actor.role === 'engineer') m.s.ownerId = actor.id;
  if (m.s.status === 'opened') setStatus(m, 'in_progress', now, actor.id, cause);
  if (m.s.firstResponseAt !== null) return;
  m.s.firstResponseAt = now;
  const fr = m.s.clocks[FIRST_RESPONSE]!;
  if (clockIsActive(fr)) m.s.clocks[FIRST_RESPONSE] = stopClock(fr, now);
  record(m, 'first_response', actor.id, now, cause, clockFacts(m, FIRST_RESPONSE));
}

/** A clock that no longer applies stops and shows as 'stopped' (unless it was breached). */
export function retire(m: Machine, name: string, now: number): void {
  const clock = m.s.clocks[name];
  if (!clock) return;
  if (clockIsActive(clock)) m.s.clocks[name] = stopClock(clock, now);
  if (!m.s.retiredClocks.includes(name)) m.s.retiredClocks.push(name);
}

/** What an audit event says about a clock that just stopped. */
export function clockFacts(m: Machine, name: string): Record<string, unknown> {
  const v = clockView(m.s.clocks[name]!, false);
  return { clock: name, state: v.state, dueAt: v.dueAt, stoppedAt: v.stoppedAt, latenessMs: v.latenessMs };
}
