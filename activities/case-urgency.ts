/**
 * How urgent a case is, from its view's clocks, for the read model's queue columns (cases.overdue_since,
 * cases.next_due_clock). Computed where the view is written, so the workflow's view stays as it is and every
 * view ever recorded (and the migration's backfill, db/migrations/0010) gives the same answer.
 *
 * - `overdueSince`: the earliest breached due instant (`breachedAt`) among clocks still not met: breached
 *   and not stopped (a clock met late, or retired when the case closed, is no longer overdue). Null when
 *   nothing is overdue.
 * - `nextDueClock`: the clock `view.nextDueAt` belongs to: the running clock with the earliest due instant
 *   (a breached clock is never "next due"; it is overdue). Ties go to the first name in alphabetical order.
 */
import type { CaseView } from '../contract/case';

export interface CaseUrgency {
  overdueSince: string | null;
  nextDueClock: string | null;
}

export function caseUrgency(view: Pick<CaseView, 'clocks'>): CaseUrgency {
  let overdueSince: number | null = null;
  let next: { at: number; name: string } | null = null;
  for (const [name, c] of Object.entries(view.clocks ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (c.state === 'breached' && c.stoppedAt === null && c.breachedAt !== null) {
      const at = Date.parse(c.breachedAt);
      if (overdueSince === null || at < overdueSince) overdueSince = at;
    }
    if (c.state === 'running' && c.dueAt !== null) {
      const at = Date.parse(c.dueAt);
      if (next === null || at < next.at) next = { at, name };
    }
  }
  return { overdueSince: overdueSince === null ? null : new Date(overdueSince).toISOString(), nextDueClock: next?.name ?? null };
}
