/**
 * The SLA clock as a pure state machine. State is plain JSON (it lives in workflow state and survives
 * continue-as-new); every transition takes the instant explicitly and returns a new clock.
 *
 * Model: a clock has a target of `targetMs` measured on its calendar (wall clock for wall targets,
 * the coverage calendar for business targets, Mon-Fri 08:00-17:00 for Kasten business days). Time spent
 * running is `consumedMs` (closed segments) plus the open segment since `segmentStart`. Pausing closes
 * the segment; resuming opens a new one, so the remaining calendar time continues from the resume.
 *
 * Due and breach: "due Mon 14:30" means a response at 14:30:00.000 is on time. The breach therefore
 * happens at dueAt + 1 ms, which is the instant nextWake() reports for it.
 *
 * Warning thresholds: fraction f fires at the instant when f of the target has elapsed on the clock's
 * calendar (e.g. 0.75 of 8 business hours = after 6 business hours).
 *
 * Severity change (DESIGN 2): the new target runs from the moment of the change; moving to a more severe
 * level never produces a later due time than the clock already had (the old due time is kept, and so is
 * the old schedule), and moving to a more severe level that has no target (e.g. Evaluation Severity 1)
 * also keeps the old due time. Every change is recorded with old and new due times.
 */
import type { CalendarSpec, Target } from './types';
import { addBusinessTime, businessTimeBetween } from './calendar';
import { type DeadlineResult, targetCalendar, targetDurationMs } from './deadline';
import { targetLabel } from './entitlements';

export type ClockStatus = 'running' | 'paused' | 'stopped' | 'no_target' | 'not_available' | 'best_effort';

export interface ClockThreshold {
  fraction: number;
  /** When it fires on the current schedule; null while paused or when the clock has no due instant. */
  at: number | null;
  fired: boolean;
}

export interface ClockChange {
  at: number;
  oldDueAt: number | null;
  newDueAt: number | null;
  oldTargetLabel: string;
  newTargetLabel: string;
  /** True when the more-severe rule kept the earlier due time. */
  keptEarlierDue: boolean;
}

export interface SlaClock {
  name: string;
  status: ClockStatus;
  target: Target | null;
  targetLabel: string;
  explanation: string;
  /** The calendar passed at start (coverage); the target's own calendar is derived from it. */
  calendar: CalendarSpec;
  targetMs: number;
  consumedMs: number;
  segmentStart: number | null;
  startedAt: number;
  pausedAt: number | null;
  /** Current due instant; null while paused (the remainder continues from the resume) or without target. */
  dueAt: number | null;
  thresholds: ClockThreshold[];
  /** The due instant that was breached, once the breach has fired. */
  breachedDueAt: number | null;
  stoppedAt: number | null;
  outcome: 'met' | 'breached' | null;
  /** Wall-clock lateness at stop (0 when met). */
  latenessMs: number | null;
  /** Lateness measured on the clock's calendar (business time for business targets). */
  latenessCalendarMs: number | null;
  changes: ClockChange[];
}

/** A deadline from computeDeadline(), or a bare target for ad-hoc clocks (e.g. manager acknowledgement). */
export type ClockDeadline = DeadlineResult | Target;

export type ClockWake = { at: number; kind: 'warning'; threshold: number } | { at: number; kind: 'breach' };
export type ClockEvent = { kind: 'warning'; threshold: number } | { kind: 'breach' };

interface Resolved {
  target: Target | null;
  status: ClockStatus;
  label: string;
  explanation: string;
  dueAt: number | null;
}

function isTarget(d: ClockDeadline): d is Target {
  return (
    d.kind === 'wall' ||
    d.kind === 'business' ||
    d.kind === 'business_days' ||
    (!('targetLabel' in d) && (d.kind === 'not_available' || d.kind === 'best_effort'))
  );
}

function resolve(deadline: ClockDeadline, at: number, calendar: CalendarSpec): Resolved {
  if (isTarget(deadline)) {
    const ms = targetDurationMs(deadline);
    const label = targetLabel(deadline);
    if (ms === null) return { target: deadline, status: deadline.kind as ClockStatus, label, explanation: label, dueAt: null };
    return {
      target: deadline,
      status: 'running',
      label,
      explanation: label,
      dueAt: addBusinessTime(targetCalendar(deadline, calendar), at, ms),
    };
  }
  if (deadline.kind === 'due')
    return {
      target: deadline.target,
      status: 'running',
      label: deadline.targetLabel,
      explanation: deadline.explanation,
      dueAt: deadline.dueAt,
    };
  return { target: null, status: deadline.kind, label: deadline.targetLabel, explanation: deadline.explanation, dueAt: null };
}

function normaliseThresholds(fractions: number[]): number[] {
  return [...new Set(fractions.filter((f) => Number.isFinite(f) && f > 0 && f < 1))].sort((a, b) => a - b);
}

function clockCalendar(c: SlaClock): CalendarSpec {
  return targetCalendar(c.target!, c.calendar);
}

/** Threshold instants for a clock running since `segmentStart` with `consumedMs` already used. */
function schedule(c: SlaClock, segmentStart: number): ClockThreshold[] {
  const cal = clockCalendar(c);
  return c.thresholds.map((t) => {
    if (t.fired) return { ...t, at: null };
    const need = Math.round(t.fraction * c.targetMs) - c.consumedMs;
    // A threshold already passed before a pause fires as soon as the clock runs again.
    return { ...t, at: need <= 0 ? segmentStart : addBusinessTime(cal, segmentStart, need) };
  });
}

/**
 * Starts a clock at `at`. `deadline` is computeDeadline()'s result for an opening at `at` (its dueAt is the
 * promise made to the customer) or a bare Target measured from `at`; `calendar` is the coverage calendar
 * the target's own calendar derives from (see targetCalendar).
 */
export function startClock(input: {
  name: string;
  at: number;
  deadline: ClockDeadline;
  calendar: CalendarSpec;
  thresholds: number[];
}): SlaClock {
  const r = resolve(input.deadline, input.at, input.calendar);
  const timed = r.status === 'running';
  const clock: SlaClock = {
    name: input.name,
    status: r.status,
    target: r.target,
    targetLabel: r.label,
    explanation: r.explanation,
    calendar: input.calendar,
    targetMs: timed ? targetDurationMs(r.target!)! : 0,
    consumedMs: 0,
    segmentStart: timed ? input.at : null,
    startedAt: input.at,
    pausedAt: null,
    dueAt: r.dueAt,
    thresholds: normaliseThresholds(input.thresholds).map((fraction) => ({ fraction, at: null, fired: false })),
    breachedDueAt: null,
    stoppedAt: null,
    outcome: null,
    latenessMs: null,
    latenessCalendarMs: null,
    changes: [],
  };
  return timed ? { ...clock, thresholds: schedule(clock, input.at) } : clock;
}

export function pauseClock(c: SlaClock, at: number): SlaClock {
  if (c.status !== 'running') return c;
  const consumedMs = c.consumedMs + Math.max(0, businessTimeBetween(clockCalendar(c), c.segmentStart!, at));
  return {
    ...c,
    status: 'paused',
    consumedMs,
    segmentStart: null,
    pausedAt: at,
    // A breached clock keeps its breached due instant; otherwise the due instant moves with the pause.
    dueAt: c.breachedDueAt ?? null,
    thresholds: c.thresholds.map((t) => ({ ...t, at: null })),
  };
}

export function resumeClock(c: SlaClock, at: number): SlaClock {
  if (c.status !== 'paused') return c;
  const running: SlaClock = { ...c, status: 'running', segmentStart: at, pausedAt: null };
  const remaining = c.targetMs - c.consumedMs;
  const dueAt = c.breachedDueAt ?? addBusinessTime(clockCalendar(c), at, Math.max(0, remaining));
  return { ...running, dueAt, thresholds: schedule(running, at) };
}

/** The first response (or whatever the clock measures) happened at `at`. */
export function stopClock(c: SlaClock, at: number): SlaClock {
  if (c.status !== 'running' && c.status !== 'paused') return c;
  const breachedDueAt = c.breachedDueAt;
  let dueAt = c.dueAt;
  if (c.status === 'paused' && breachedDueAt === null) {
    // Stopped while paused: measure against what is left, as if resumed now.
    dueAt = addBusinessTime(clockCalendar(c), at, Math.max(0, c.targetMs - c.consumedMs));
  }
  const late = breachedDueAt !== null || at > dueAt!;
  const reference = breachedDueAt ?? dueAt!;
  return {
    ...c,
    status: 'stopped',
    dueAt: reference,
    segmentStart: null,
    stoppedAt: at,
    outcome: late ? 'breached' : 'met',
    latenessMs: late ? Math.max(0, at - reference) : 0,
    latenessCalendarMs: late ? Math.max(0, businessTimeBetween(clockCalendar(c), reference, at)) : 0,
    thresholds: c.thresholds.map((t) => ({ ...t, at: null })),
  };
}

/**
 * Severity (priority) changed at `at`; `deadline` is the new level's deadline computed from `at`
 * (computeDeadline with openedAt = at) or a bare target. See the rule in the module comment.
 */
export function changeSeverity(c: SlaClock, change: { at: number; deadline: ClockDeadline; moreSevere: boolean }): SlaClock {
  if (c.status === 'stopped') return c;
  const { at } = change;
  // The due instant the clock has right now: a paused clock's remainder would continue from `at`.
  const oldDueAt =
    c.status === 'running'
      ? c.dueAt
      : c.status === 'paused'
        ? (c.breachedDueAt ?? addBusinessTime(clockCalendar(c), at, Math.max(0, c.targetMs - c.consumedMs)))
        : null;
  const r = resolve(change.deadline, at, c.calendar);
  const keepOld = change.moreSevere && oldDueAt !== null && (r.dueAt === null || r.dueAt > oldDueAt);
  const record = (newDueAt: number | null, newLabel: string): ClockChange[] => [
    ...c.changes,
    { at, oldDueAt, newDueAt, oldTargetLabel: c.targetLabel, newTargetLabel: newLabel, keptEarlierDue: keepOld },
  ];
  if (keepOld) return { ...c, changes: record(oldDueAt, c.targetLabel) };

  const rearmed = c.thresholds.map((t) => ({ fraction: t.fraction, at: null, fired: false }));
  if (r.status !== 'running') {
    return {
      ...c,
      status: r.status,
      target: r.target,
      targetLabel: r.label,
      explanation: r.explanation,
      targetMs: 0,
      consumedMs: 0,
      segmentStart: null,
      pausedAt: null,
      dueAt: null,
      thresholds: rearmed,
      breachedDueAt: null,
      changes: record(null, r.label),
    };
  }
  const paused = c.status === 'paused';
  const next: SlaClock = {
    ...c,
    status: paused ? 'paused' : 'running',
    target: r.target,
    targetLabel: r.label,
    explanation: r.explanation,
    targetMs: targetDurationMs(r.target!)!,
    consumedMs: 0,
    segmentStart: paused ? null : at,
    pausedAt: paused ? at : null,
    dueAt: paused ? null : r.dueAt,
    thresholds: rearmed,
    breachedDueAt: null,
    changes: record(r.dueAt, r.label),
  };
  return paused ? next : { ...next, thresholds: schedule(next, at) };
}

/** The next instant the workflow must wake up for this clock, or null when nothing is pending. */
export function nextWake(c: SlaClock): ClockWake | null {
  if (c.status !== 'running') return null;
  let best: ClockWake | null = null;
  for (const t of c.thresholds) {
    if (!t.fired && t.at !== null && (best === null || t.at < best.at)) best = { at: t.at, kind: 'warning', threshold: t.fraction };
  }
  if (c.breachedDueAt === null && c.dueAt !== null && (best === null || c.dueAt + 1 < best.at)) best = { at: c.dueAt + 1, kind: 'breach' };
  return best;
}

/** Fires every warning and the breach whose instant is at or before `now`, each exactly once. */
export function fireDue(c: SlaClock, now: number): { clock: SlaClock; events: ClockEvent[] } {
  if (c.status !== 'running') return { clock: c, events: [] };
  const due: Array<{ at: number; event: ClockEvent }> = [];
  const thresholds = c.thresholds.map((t) => {
    if (t.fired || t.at === null || t.at > now) return t;
    due.push({ at: t.at, event: { kind: 'warning', threshold: t.fraction } });
    return { ...t, fired: true };
  });
  let breachedDueAt = c.breachedDueAt;
  if (breachedDueAt === null && c.dueAt !== null && c.dueAt + 1 <= now) {
    due.push({ at: c.dueAt + 1, event: { kind: 'breach' } });
    breachedDueAt = c.dueAt;
  }
  if (due.length === 0) return { clock: c, events: [] };
  due.sort((a, b) => a.at - b.at);
  return { clock: { ...c, thresholds, breachedDueAt }, events: due.map((d) => d.event) };
}

/** Display state in the vocabulary of the case view (ClockView.state). */
export function clockState(c: SlaClock): 'running' | 'paused' | 'met' | 'breached' | 'no_target' | 'not_available' | 'best_effort' {
  if (c.status === 'stopped') return c.outcome!;
  if ((c.status === 'running' || c.status === 'paused') && c.breachedDueAt !== null) return 'breached';
  return c.status;
}
