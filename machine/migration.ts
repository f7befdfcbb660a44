/**
 * Moving an open case to another published policy version (docs/policy.md, "Migrating open cases"). The
 * running first-response clock keeps the coverage time it used and takes the new version's target counted from
 * its start (policy/clock-migration.ts); a clock already past it breaches at the migration instant. Clocks
 * whose targets the policy document does not hold (the Severity 1 update cadence, manager acknowledgement) and
 * stopped or breached clocks are listed unchanged. The case follows the new version from then on (later
 * severity changes use its targets and coverage). The audit trail records both versions and every clock's old
 * and new due instant; the owner is told when a due instant moved earlier or a clock breaches at once.
 */
import { migrateClock, targetOf } from '../policy';
import type { MigratePolicyInput } from '../contract/case';
import type { MigratedClock } from '../contract/policy-runs';
import { clockIsActive, clockView } from './clock-view';
import { FIRST_RESPONSE, iso, type Machine } from './context';
import * as notices from './notices';
import { refusal, type Refusal as Found } from '../contract/refusals';
type Refusal = Found | null;
import { record, touch } from './recording';

export function migrateStateRefusal(m: Machine): Refusal {
  return m.s.status === 'closed' ? refusal('migration-closed', 'A closed case is never migrated: its history stays as it was') : null;
}

/** The version the case follows now. */
export const currentVersion = (m: Machine): string => m.s.migratedPolicy?.policyVersion ?? m.input.policyVersion;

export function migrateInputRefusal(m: Machine, a: MigratePolicyInput): Refusal {
  if (typeof a.toVersion !== 'string' || !a.policy || !a.coverage)
    return refusal('migration-input-invalid', 'toVersion, policy and coverage are required');
  if (a.toVersion === currentVersion(m))
    return refusal('policy-version-unchanged', `The case already follows policy version ${a.toVersion}`, { version: a.toVersion });
  if (a.expectedStateVersion !== undefined && a.expectedStateVersion !== m.s.version)
    return refusal(
      'changed-since-preview',
      `The case changed since the preview (state version ${m.s.version}, previewed ${a.expectedStateVersion}): preview it again`,
    );
  return null;
}

const hours = (ms: number) => {
  const min = Math.round(ms / 60_000);
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''}`;
};

export function migratePolicy(m: Machine, a: MigratePolicyInput, now: number): void {
  const from = currentVersion(m);
  m.s.migratedPolicy = { policyVersion: a.toVersion, policy: a.policy, coverage: a.coverage, at: now };
  const clocks: MigratedClock[] = [];
  for (const name of Object.keys(m.s.clocks)) {
    const before = m.s.clocks[name]!;
    if (m.s.retiredClocks.includes(name) || !clockIsActive(before)) continue; // stopped clocks stay as they were
    let after = before;
    let migration = null;
    if (name === FIRST_RESPONSE) {
      const target = targetOf(m.input.entitlement, m.s.level, a.policy);
      const explanation = (label: string, elapsedMs: number, tail: string) =>
        `${label} under policy ${a.toVersion} (migrated from ${from} on ${iso(now)} with ${hours(elapsedMs)} of coverage time used)${tail}`;
      // Two passes: the explanation names the outcome, which the first pass computes.
      const probe = migrateClock(before, { at: now, target, calendar: a.coverage, explanation: '' });
      const tail = probe.breachesAtOnce
        ? ': already past the new target, so it breaches at the migration'
        : probe.newDueAt !== null
          ? `, due ${iso(probe.newDueAt)}`
          : '';
      migration = migrateClock(before, {
        at: now,
        target,
        calendar: a.coverage,
        explanation: explanation(probe.clock.targetLabel, probe.elapsedMs, tail),
      });
      after = migration.clock;
      m.s.clocks[name] = after;
    }
    const oldView = clockView(before, false);
    const newView = clockView(after, false);
    clocks.push({
      clock: name,
      oldState: oldView.state,
      state: newView.state,
      changed: migration?.changed ?? false,
      oldDueAt: oldView.dueAt,
      newDueAt: newView.dueAt,
      oldTarget: before.targetLabel,
      newTarget: after.targetLabel,
      elapsedMs: migration?.elapsedMs ?? before.consumedMs,
      breachesAtOnce: migration?.breachesAtOnce ?? false,
    });
  }
  record(m, 'policy_migrated', a.actor.id, now, a.requestId, {
    from,
    to: a.toVersion,
    // (Not the previewed state version: the check passed, and a replay of the trail need not count versions alike.)
    migrationId: a.migrationId ?? null,
    clocks,
    policy: a.policy,
    coverage: a.coverage,
  });
  const earlier = clocks.filter(
    (c) => c.breachesAtOnce || (c.oldDueAt !== null && c.newDueAt !== null && Date.parse(c.newDueAt) < Date.parse(c.oldDueAt)),
  );
  if (earlier.length > 0) notices.policyMigrated(m, a.requestId, { from, to: a.toVersion, title: m.input.title, clocks: earlier });
  touch(m);
}
