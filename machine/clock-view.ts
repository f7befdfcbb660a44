/** How the policy engine's SLA clocks appear in the case view and in the SlaState search attribute. */
import { clockState, type SlaClock } from '../policy';
import type { ClockView } from '../contract/case';
import { iso } from './context';

/** Running or paused: the clock still measures something. */
export function clockIsActive(c: SlaClock): boolean {
  return c.status === 'running' || c.status === 'paused';
}

/** A retired clock (its obligation ended, e.g. Severity 1 lowered) shows 'stopped' unless it was breached. */
export function clockView(c: SlaClock, retired: boolean): ClockView {
  const state = clockState(c);
  return {
    name: c.name,
    state: retired && state !== 'breached' ? 'stopped' : state,
    dueAt: iso(c.breachedDueAt ?? c.dueAt),
    startedAt: iso(c.startedAt),
    stoppedAt: iso(c.stoppedAt),
    breachedAt: iso(c.breachedDueAt),
    latenessMs: c.latenessMs,
    target: c.targetLabel,
    explanation: c.explanation,
  };
}

/**
 * One word for search and lists, worst first: breached > at_risk (a warning fired) > on_track > paused,
 * then the first-response outcome (met / no_target / not_available / best_effort).
 */
export function slaSummary(active: SlaClock[], firstResponse: SlaClock): string {
  const states = active.map(clockState);
  if (states.includes('breached')) return 'breached';
  const running = active.filter((c) => c.status === 'running');
  if (running.some((c) => c.thresholds.some((t) => t.fired))) return 'at_risk';
  if (running.length > 0) return 'on_track';
  if (states.includes('paused')) return 'paused';
  return clockState(firstResponse);
}
