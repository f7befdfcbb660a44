/** A workflow that exercises the policy engine inside Temporal's deterministic sandbox. */
import { computeDeadline, coverageCalendar, fireDue, nextBusinessDays, nextWake, startClock, type DeadlineResult } from '../../../policy';

export interface PolicyProbe {
  deadline: DeadlineResult;
  wakes: Array<{ at: number; kind: string }>;
  attempts: string[];
}

export async function policyProbeWorkflow(openedAt: number, zone: string, closedDates: string[]): Promise<PolicyProbe> {
  const coverage = coverageCalendar('basic', { zone, closedDates });
  const deadline = computeDeadline({ openedAt, entitlement: 'basic', level: 2, caseType: 'technical', coverage });
  let clock = startClock({ name: 'firstResponse', at: openedAt, deadline, calendar: coverage, thresholds: [0.75, 0.9] });
  const wakes: Array<{ at: number; kind: string }> = [];
  for (let wake = nextWake(clock); wake !== null; wake = nextWake(clock)) {
    wakes.push({ at: wake.at, kind: wake.kind });
    clock = fireDue(clock, wake.at).clock;
  }
  const attempts = nextBusinessDays(coverage, openedAt, 3, { at: '10:00' }).map((d) => d.date);
  return { deadline, wakes, attempts };
}
