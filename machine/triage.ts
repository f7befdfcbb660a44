/**
 * Triage: how urgent the case is and who works it. A severity change re-targets the first-response clock
 * (the new target runs from the change, but a more severe level never moves the due time later), remembers
 * the worst level for the root-cause-analysis rule and starts or stops around-the-clock work; an assignment
 * names the owner (and region).
 */
import { changeSeverity as retarget, type SlaClock } from '../policy';
import type { AssignInput, ChangeSeverityInput } from '../contract/case';
import { clockIsActive, clockView } from './clock-view';
import { qualifiesForAroundTheClock, startAroundTheClock, stopAroundTheClock } from './around-the-clock';
import { firstResponseDeadline } from './clocks';
import { FIRST_RESPONSE, type Machine } from './context';
import * as notices from './notices';
import { record, touch } from './recording';

export function changeSeverity(m: Machine, { actor, level, reason, requestId }: ChangeSeverityInput, now: number): void {
  const from = m.s.level;
  const fr = m.s.clocks[FIRST_RESPONSE]!;
  const oldDue = clockView(fr, false).dueAt;
  if (clockIsActive(fr) || retargetsWithoutDue(m, fr)) {
    // The design rule: the new target runs from the change, but a more severe level never moves the due time later.
    const deadline = firstResponseDeadline(m, now, level);
    m.s.clocks[FIRST_RESPONSE] = retarget(fr, { at: now, deadline, moreSevere: level < from });
  }
  m.s.level = level;
  if (level < m.s.worstLevel) m.s.worstLevel = level;
  record(m, 'severity_changed', actor.id, now, requestId, {
    from,
    to: level,
    reason,
    by: actor,
    oldFirstResponseDueAt: oldDue,
    newFirstResponseDueAt: clockView(m.s.clocks[FIRST_RESPONSE]!, false).dueAt,
    // Marks runs with patched('retarget-best-effort'), so a back-test replays them with the same rule.
    ...(m.retargetBestEffort ? { retargetsBestEffort: true } : {}),
  });
  const qualifies = qualifiesForAroundTheClock(m, level);
  if (qualifies && !m.s.aroundTheClock) startAroundTheClock(m, now, requestId, actor.id);
  if (!qualifies && m.s.aroundTheClock) stopAroundTheClock(m, now, requestId, actor.id, 'severity lowered');
}

/**
 * `patched('retarget-best-effort')`: a case still waiting for its first response at a level without a due
 * instant (best effort, not available) that moves to a timed level gets that level's target from the change.
 * Before the patch only a running or paused clock was re-targeted, so such a case never got one.
 */
function retargetsWithoutDue(m: Machine, fr: SlaClock): boolean {
  return m.retargetBestEffort === true && m.s.firstResponseAt === null && (fr.status === 'best_effort' || fr.status === 'not_available');
}

export function assign(m: Machine, { actor, requestId, ownerId, region, note }: AssignInput, now: number): void {
  const from = { ownerId: m.s.ownerId, region: m.s.ownerRegion };
  m.s.ownerId = ownerId;
  if (region) m.s.ownerRegion = region;
  record(m, 'assigned', actor.id, now, requestId, { from, to: { ownerId, region: m.s.ownerRegion }, note: note ?? null });
  notices.caseAssigned(m, requestId, actor, from.ownerId);
  touch(m);
}
