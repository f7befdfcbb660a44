/**
 * Initial-response deadlines: from opened-at, entitlement, level, case type and the coverage calendar to
 * a due instant (or a typed "no due instant" outcome) with an explanation a customer can read.
 */
import type { CalendarSpec, CaseType, EntitlementId, Level, Target } from './types';
import { addBusinessTime, businessTimeByEpochDay, closedEpochDaysBetween, nextOpening } from './calendar';
import { describeWindows, kastenBusinessDayCalendar } from './calendars';
import { BUSINESS_DAY_MS, ENTITLEMENTS, levelLabel, targetLabel } from './entitlements';
import { DAY, formatDayLabel, formatDuration, formatLocalTime } from './time';
import { offsetAt, zoneAbbreviation } from './zone';

export type DeadlineResult =
  | { kind: 'due'; dueAt: number; target: Target; targetLabel: string; explanation: string }
  | { kind: 'no_target' | 'not_available' | 'best_effort'; targetLabel: string; explanation: string };

export interface DeadlineInput {
  openedAt: number;
  entitlement: EntitlementId;
  level: Level;
  caseType: CaseType;
  /** The program's coverage calendar in the organisation's zone (coverageCalendar()). */
  coverage: CalendarSpec;
  /** The level's target as the case's pinned policy version says; the shipped constants when absent. */
  target?: Target;
}

/**
 * The calendar a target is counted on: wall targets on the wall clock, business targets on the coverage
 * calendar, Kasten business days on Mon-Fri 08:00-17:00 in the coverage zone (also for Premium P4).
 */
export function targetCalendar(target: Target, coverage: CalendarSpec): CalendarSpec {
  if (target.kind === 'business_days') return kastenBusinessDayCalendar(coverage);
  if (target.kind === 'wall') return wallCalendar(coverage);
  return coverage;
}

const wallCalendars = new WeakMap<CalendarSpec, CalendarSpec>();

function wallCalendar(coverage: CalendarSpec): CalendarSpec {
  if (coverage.alwaysOpen) return coverage;
  let out = wallCalendars.get(coverage);
  if (!out) {
    out = { zone: coverage.zone, alwaysOpen: true, windows: [], closedDates: [], label: '24/7' };
    wallCalendars.set(coverage, out);
  }
  return out;
}

/** Length of a timed target on its own calendar, in ms; null for targets without a due instant. */
export function targetDurationMs(target: Target): number | null {
  switch (target.kind) {
    case 'wall':
    case 'business':
      return target.ms;
    case 'business_days':
      return target.days * BUSINESS_DAY_MS;
    default:
      return null;
  }
}

/** 'Fri 27 Nov 18:30' in the calendar's zone. */
export function formatLocal(zone: string, at: number): string {
  const local = at + offsetAt(zone, at);
  return `${formatDayLabel(Math.floor(local / DAY))} ${formatLocalTime(local)}`;
}

/** 'Fri 27 Nov 18:30 CET' */
export function formatLocalWithZone(zone: string, at: number): string {
  return `${formatLocal(zone, at)} ${zoneAbbreviation(zone, at)}`;
}

/** Per-day breakdown, shortened for long targets: first three days, a summary, the last day. */
function describeSlices(cal: CalendarSpec, from: number, to: number): string {
  const slices = businessTimeByEpochDay(cal, from, to).map((s) => `${formatDuration(s.ms)} on ${formatDayLabel(s.day)}`);
  if (slices.length <= 5) return slices.join(', ');
  const middle = slices.length - 4;
  return `${slices.slice(0, 3).join(', ')}, ... ${middle} more business days ..., ${slices[slices.length - 1]}`;
}

function explainBusiness(cal: CalendarSpec, openedAt: number, dueAt: number, label: string, counting: string): string {
  const zone = cal.zone;
  const startsAt = nextOpening(cal, openedAt);
  let opened = `opened ${formatLocal(zone, openedAt)}`;
  if (startsAt !== openedAt) opened += ` (outside coverage, clock starts ${formatLocal(zone, startsAt)})`;
  const closed = closedEpochDaysBetween(cal, openedAt, dueAt);
  const closedNote = closed.length > 0 ? `, closed on ${closed.map(formatDayLabel).join(', ')}` : '';
  return `${label}${counting}, ${cal.label ?? describeWindows(cal.windows)} ${zone}, ${opened}${closedNote}: ${describeSlices(cal, openedAt, dueAt)}, due ${formatLocalWithZone(zone, dueAt)}`;
}

function explainWall(zone: string, openedAt: number, dueAt: number, label: string): string {
  const dstNote = offsetAt(zone, openedAt) !== offsetAt(zone, dueAt) ? ' (a clock change in between adds or removes no time)' : '';
  return `${label}, around the clock (24/7, real elapsed time) ${zone}, opened ${formatLocalWithZone(zone, openedAt)}: due ${formatLocalWithZone(zone, dueAt)}${dstNote}`;
}

/**
 * The facts a deadline's explanation is made of, as data, so a reader's language can render it (mail in
 * nine languages): how the target counts, the calendar's zone and weekly windows, when the clock started and
 * the closed days (holidays, closures) it skipped. Local dates are YYYY-MM-DD in the calendar's zone.
 */
export interface ExplanationFacts {
  counting: 'wall' | 'business';
  zone: string;
  windows: CalendarSpec['windows'];
  openedAt: number;
  /** When the clock began to run: the next opening of coverage after the case opened (= openedAt inside coverage). */
  startsAt: number;
  dueAt: number;
  closedDays: string[];
}

export function explanationFacts(coverage: CalendarSpec, target: Target, openedAt: number, dueAt: number): ExplanationFacts {
  const cal = targetCalendar(target, coverage);
  if (cal.alwaysOpen) return { counting: 'wall', zone: cal.zone, windows: [], openedAt, startsAt: openedAt, dueAt, closedDays: [] };
  const closedDays = closedEpochDaysBetween(cal, openedAt, dueAt).map((d) => new Date(d * DAY).toISOString().slice(0, 10));
  return { counting: 'business', zone: cal.zone, windows: cal.windows, openedAt, startsAt: nextOpening(cal, openedAt), dueAt, closedDays };
}

export function computeDeadline(input: DeadlineInput): DeadlineResult {
  const policy = ENTITLEMENTS[input.entitlement];
  if (!policy) throw new RangeError(`Unknown entitlement '${input.entitlement}'`);
  if (!policy.targets[input.level]) throw new RangeError(`Unknown level ${input.level}: expected 1..4`);
  if (input.caseType === 'general_inquiry') {
    return {
      kind: 'no_target',
      targetLabel: 'no target',
      explanation: 'General inquiries have no response target (no SLA) and no phone support.',
    };
  }
  const level = levelLabel(input.entitlement, input.level);
  const target = input.target ?? policy.targets[input.level];
  const label = targetLabel(target);
  switch (target.kind) {
    case 'not_available':
      return { kind: 'not_available', targetLabel: label, explanation: `${level} is not available on ${policy.name}.` };
    case 'best_effort':
      return {
        kind: 'best_effort',
        targetLabel: label,
        explanation: `${policy.name}: ${level} is handled on a best-effort basis with no response target.`,
      };
    case 'wall': {
      const dueAt = input.openedAt + target.ms;
      return {
        kind: 'due',
        dueAt,
        target,
        targetLabel: label,
        explanation: explainWall(input.coverage.zone, input.openedAt, dueAt, label),
      };
    }
    case 'business':
    case 'business_days': {
      const cal = targetCalendar(target, input.coverage);
      const ms = targetDurationMs(target)!;
      const dueAt = addBusinessTime(cal, input.openedAt, ms);
      const counting = target.kind === 'business_days' ? ` (${formatDuration(ms)} of business time)` : '';
      return { kind: 'due', dueAt, target, targetLabel: label, explanation: explainBusiness(cal, input.openedAt, dueAt, label, counting) };
    }
  }
}
