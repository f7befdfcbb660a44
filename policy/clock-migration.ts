/**
 * An SLA clock moved to another policy version (docs/policy.md, "Migrating open cases"): the coverage time it
 * has already used is kept, and the new target counts from the clock's start, as if the new version had
 * applied all along. Pure, like sla-clock.ts: no input is mutated.
 *
 * - Running: elapsed = used before (closed segments) + coverage time since the current segment began, on the
 *   clock's old calendar (the time that really counted). Remaining = new target - elapsed, counted on the new
 *   calendar from the migration instant. Remaining > 0: the new due instant. Remaining <= 0: the clock is past
 *   its new target and breaches at the migration instant (never backdated: its due instant becomes the
 *   migration instant, `breachesAtOnce`).
 * - Paused: the same, but it stays paused; the remainder continues from the resume (no due instant meanwhile).
 * - A new target without a due instant (best effort, not available): the clock stops counting.
 * - Already breached, stopped, or without a due instant: unchanged (what happened stays true).
 * Warnings re-arm on the new schedule; one whose fraction of the new target is already used fires at once.
 */
import { addBusinessTime, businessTimeBetween } from './calendar';
import { targetCalendar, targetDurationMs } from './deadline';
import { targetLabel } from './entitlements';
import type { SlaClock } from './sla-clock';
import type { CalendarSpec, Target } from './types';

export interface ClockMigration {
  clock: SlaClock;
  /** False: the clock was left as it was (stopped, breached, without a due instant). */
  changed: boolean;
  oldDueAt: number | null;
  newDueAt: number | null;
  /** Coverage time used at the migration instant (ms on the old calendar). */
  elapsedMs: number;
  /** Past its new target: breaches at the migration instant. */
  breachesAtOnce: boolean;
}

export function migrateClock(c: SlaClock, m: { at: number; target: Target; calendar: CalendarSpec; explanation: string }): ClockMigration {
  const unchanged = (): ClockMigration => ({
    clock: c,
    changed: false,
    oldDueAt: c.breachedDueAt ?? c.dueAt,
    newDueAt: c.breachedDueAt ?? c.dueAt,
    elapsedMs: c.consumedMs,
    breachesAtOnce: false,
  });
  if ((c.status !== 'running' && c.status !== 'paused') || c.breachedDueAt !== null || c.target === null) return unchanged();
  const { at } = m;
  const oldCal = targetCalendar(c.target, c.calendar);
  const elapsedMs = c.consumedMs + (c.status === 'running' ? Math.max(0, businessTimeBetween(oldCal, c.segmentStart!, at)) : 0);
  const oldDueAt = c.dueAt;
  const ms = targetDurationMs(m.target);
  const label = targetLabel(m.target);
  const base = { ...c, target: m.target, targetLabel: label, explanation: m.explanation, calendar: m.calendar };
  if (ms === null) {
    const clock: SlaClock = {
      ...base,
      status: m.target.kind as SlaClock['status'],
      targetMs: 0,
      consumedMs: 0,
      segmentStart: null,
      pausedAt: null,
      dueAt: null,
      thresholds: c.thresholds.map((t) => ({ ...t, at: null })),
    };
    return { clock, changed: true, oldDueAt, newDueAt: null, elapsedMs, breachesAtOnce: false };
  }
  const newCal = targetCalendar(m.target, m.calendar);
  const remaining = ms - elapsedMs;
  const breachesAtOnce = remaining <= 0;
  const paused = c.status === 'paused';
  // Past the new target: due at the migration instant, so the breach fires at once (at + 1 ms, the usual rule).
  const dueAt = paused ? null : breachesAtOnce ? at : addBusinessTime(newCal, at, remaining);
  const thresholds = c.thresholds.map((t) => {
    if (t.fired || paused) return { ...t, at: null };
    const need = Math.round(t.fraction * ms) - elapsedMs;
    return { ...t, at: need <= 0 ? at : addBusinessTime(newCal, at, need) };
  });
  const clock: SlaClock = {
    ...base,
    targetMs: ms,
    consumedMs: elapsedMs,
    segmentStart: paused ? null : at,
    pausedAt: paused ? at : null,
    dueAt,
    thresholds,
  };
  return { clock, changed: true, oldDueAt, newDueAt: dueAt, elapsedMs, breachesAtOnce: breachesAtOnce && !paused };
}
