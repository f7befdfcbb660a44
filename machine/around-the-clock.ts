/**
 * Severity 1 around the clock (Severity 1 / P1 on a 24/7 program): the on-call engineer of the
 * follow-the-sun region is paged, the customer gets an update every `sev1UpdateCadenceMinutes` (a wall-clock
 * cadence clock, paused while the customer has no technical resource available), the case is handed to the
 * next region at each follow-the-sun boundary, and a Premier customer's Support Account Manager hears about
 * it in the customer's business hours.
 */
import {
  policyOf,
  nextOpening,
  nextSunHandoff,
  pauseClock,
  resumeClock,
  startClock,
  stopClock,
  sunRegionAt,
  type DeadlineResult,
} from '../policy';
import type { CalendarSpec, Level } from '../policy/types';
import type { CustomerAvailabilityInput } from '../contract/case';
import { clockIsActive } from './clock-view';
import { clockFacts, retire } from './clocks';
import { iso, SEV1_UPDATE, type Machine } from './context';
import * as notices from './notices';
import { trackPage, withdrawPage } from './pages';
import { record, touch } from './recording';

/** 24/7 wall-clock calendar for the around-the-clock update cadence. */
const WALL_CLOCK: CalendarSpec = { zone: 'UTC', alwaysOpen: true, windows: [], closedDates: [], label: '24/7' };

export function qualifiesForAroundTheClock(m: Machine, level: Level): boolean {
  return m.input.type !== 'general_inquiry' && policyOf(m.input).aroundTheClockLevels.includes(level);
}

export function startAroundTheClock(m: Machine, now: number, cause: string, actorId: string): void {
  const region = sunRegionAt(now);
  m.s.aroundTheClock = true;
  m.s.ownerRegion = region;
  m.s.retiredClocks = m.s.retiredClocks.filter((n) => n !== SEV1_UPDATE);
  startUpdateCadence(m, now);
  m.s.nextHandoffAt = m.s.customerAvailable ? nextHandoffAfter(now) : null;
  record(m, 'around_the_clock_started', actorId, now, cause, { region, cadenceMinutes: m.settings.sev1UpdateCadenceMinutes });
  notices.aroundTheClockPage(m, cause, region);
  trackPage(m, 'page', region, now, cause);
  if (policyOf(m.input).supportAccountManager) {
    // The Support Account Manager hears about it in the customer's business hours, not at 3 a.m.
    m.s.samNotifyAt = nextOpening(m.input.businessCalendar, now);
  }
}

export function stopAroundTheClock(m: Machine, now: number, cause: string, actorId: string, why: string): void {
  m.s.aroundTheClock = false;
  m.s.nextHandoffAt = null;
  m.s.samNotifyAt = null;
  retire(m, SEV1_UPDATE, now);
  record(m, 'around_the_clock_stopped', actorId, now, cause, { why });
  withdrawPage(m, now, cause, why);
}

/** An engineer update meets the current cadence period and starts the next one. */
export function restartUpdateCadence(m: Machine, now: number, cause: string): void {
  const current = m.s.clocks[SEV1_UPDATE];
  if (current && clockIsActive(current)) {
    m.s.clocks[SEV1_UPDATE] = stopClock(current, now);
    record(m, 'customer_update_given', 'system', now, cause, clockFacts(m, SEV1_UPDATE));
  }
  startUpdateCadence(m, now);
}

/** The customer's technical resource comes or goes: the cadence and the hand-offs pause with it. */
export function customerAvailability(m: Machine, { actor, requestId, available, note }: CustomerAvailabilityInput, now: number): void {
  if (m.s.status === 'closed' || available === m.s.customerAvailable) return;
  m.s.customerAvailable = available;
  record(m, available ? 'customer_available' : 'customer_unavailable', actor.id, now, requestId, { note: note ?? null });
  if (!m.s.aroundTheClock) return;
  const cadence = m.s.clocks[SEV1_UPDATE];
  if (cadence) m.s.clocks[SEV1_UPDATE] = available ? resumeClock(cadence, now) : pauseClock(cadence, now);
  if (available) {
    handOffIfRegionChanged(m, now, requestId);
    m.s.nextHandoffAt = nextHandoffAfter(now);
  } else {
    m.s.nextHandoffAt = null;
  }
}

/** Timer: a follow-the-sun boundary passed. */
export function fireHandoff(m: Machine, now: number): void {
  if (m.s.nextHandoffAt !== null && m.s.nextHandoffAt <= now) {
    const cause = `timer@${iso(m.s.nextHandoffAt)}`;
    handOffIfRegionChanged(m, now, cause);
    m.s.nextHandoffAt = nextHandoffAfter(now);
  }
}

/** Timer: the customer's business hours began, so the Support Account Manager is told. */
export function fireSamNotice(m: Machine, now: number): void {
  if (m.s.samNotifyAt !== null && m.s.samNotifyAt <= now) {
    const cause = `timer@${iso(m.s.samNotifyAt)}`;
    m.s.samNotifyAt = null;
    notices.samSeverity1(m, cause);
    record(m, 'sam_notified', 'system', now, cause, {});
  }
}

function startUpdateCadence(m: Machine, now: number): void {
  const minutes = m.settings.sev1UpdateCadenceMinutes;
  const dueAt = now + minutes * 60_000;
  const label = minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
  const deadline: DeadlineResult = {
    kind: 'due',
    dueAt,
    target: { kind: 'wall', ms: minutes * 60_000 },
    targetLabel: `customer update every ${label}`,
    explanation: `Severity 1 around the clock: the customer gets an update every ${label} while their technical resource is available`,
  };
  let clock = startClock({ name: SEV1_UPDATE, at: now, deadline, calendar: WALL_CLOCK, thresholds: m.settings.warningThresholds });
  if (!m.s.customerAvailable) clock = pauseClock(clock, now);
  m.s.clocks[SEV1_UPDATE] = clock;
}

function handOffIfRegionChanged(m: Machine, now: number, cause: string): void {
  const to = sunRegionAt(now);
  const from = m.s.ownerRegion;
  if (from === to) return;
  const previousOwner = m.s.ownerId;
  m.s.ownerRegion = to;
  // The next region's on-call engineer owns the case until someone there takes it by name.
  m.s.ownerId = null;
  record(m, 'handoff', 'system', now, cause, { from, to, previousOwner });
  notices.handoff(m, cause, from, to, previousOwner);
  trackPage(m, 'handoff', to, now, cause);
  touch(m);
}

function nextHandoffAfter(now: number): number {
  return nextSunHandoff(now).at;
}
