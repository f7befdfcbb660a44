/**
 * Talk to a manager: the request opens a manager-acknowledgement clock in the customer's business time and
 * tells the level-1 manager; a missed acknowledgement escalates one level up (a new window) until the top
 * level; an acknowledgement stops the clock.
 */
import { addBusinessTime, startClock, stopClock, type DeadlineResult } from '../policy';
import type { Actor } from '../contract/case';
import { clockFacts } from './clocks';
import { MANAGER_ACK, type Machine } from './context';
import * as notices from './notices';
import { record } from './recording';

export function talkToManager(m: Machine, actor: Actor, requestId: string, now: number, reason: string): void {
  m.s.managerEscalation = { level: 1, requestedAt: now, acknowledgedAt: null };
  record(m, 'manager_requested', actor.id, now, requestId, { reason });
  startManagerAck(m, now, 1, requestId);
}

export function managerAck(m: Machine, actor: Actor, requestId: string, now: number, note?: string): void {
  const e = m.s.managerEscalation!;
  e.acknowledgedAt = now;
  m.s.clocks[MANAGER_ACK] = stopClock(m.s.clocks[MANAGER_ACK]!, now);
  record(m, 'manager_acknowledged', actor.id, now, requestId, { level: e.level, note: note ?? null, ...clockFacts(m, MANAGER_ACK) });
}

/** Nobody acknowledged in time (the managerAck clock breached): the next level up hears about it, until the top level. */
export function escalateManager(m: Machine, now: number, cause: string): void {
  const e = m.s.managerEscalation!;
  const top = 1 + m.settings.managerEscalationLevels;
  if (e.level >= top) {
    record(m, 'manager_escalation_exhausted', 'system', now, cause, { level: e.level });
    return;
  }
  e.level += 1;
  record(m, 'manager_escalated', 'system', now, cause, { level: e.level });
  startManagerAck(m, now, e.level, cause);
}

function startManagerAck(m: Machine, now: number, level: number, cause: string): void {
  const windowMs = m.settings.managerAckBusinessMinutes * 60_000;
  const calendar = m.input.businessCalendar;
  const dueAt = addBusinessTime(calendar, now, windowMs);
  const deadline: DeadlineResult = {
    kind: 'due',
    dueAt,
    target: { kind: 'business', ms: windowMs },
    targetLabel: `${m.settings.managerAckBusinessMinutes} business minutes`,
    explanation: `Manager level ${level} acknowledges within ${m.settings.managerAckBusinessMinutes} business minutes (${calendar.label ?? calendar.zone})`,
  };
  m.s.clocks[MANAGER_ACK] = startClock({ name: MANAGER_ACK, at: now, deadline, calendar, thresholds: [] });
  notices.managerEscalation(m, cause, level, dueAt);
}
