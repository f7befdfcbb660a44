/**
 * What the outside sees of a case: the `CaseView` answered to queries and updates and written to the read
 * model (clocks with their explanations, the one-word SLA state, the next due instant), and whether the
 * workflow may finish.
 */
import type { CaseView } from '../contract/case';
import { clockView, slaSummary } from './clock-view';
import { availableCommands } from './commands';
import { FIRST_RESPONSE, iso, type Machine } from './context';
import { currentVersion } from './migration';
import { pageView } from './pages';

/** Closed, and no root-cause analysis still owed (a Premium Severity 1 case waits for it). */
export function closedForGood(m: Machine): boolean {
  return m.s.status === 'closed' && !(m.s.rca?.required && m.s.rca.deliveredAt === null);
}

export function caseView(m: Machine): CaseView {
  const s = m.s;
  const clocks: CaseView['clocks'] = {};
  for (const [name, clock] of Object.entries(s.clocks)) clocks[name] = clockView(clock, s.retiredClocks.includes(name));
  const running = Object.values(clocks).filter((c) => c.state === 'running' && c.dueAt !== null);
  const nextDue = running.map((c) => Date.parse(c.dueAt!)).sort((a, b) => a - b)[0];
  return {
    caseId: m.input.caseId,
    status: s.status,
    closeReason: s.closeReason,
    entitlement: m.input.entitlement,
    level: s.level,
    type: m.input.type,
    ownerId: s.ownerId,
    ownerRegion: s.ownerRegion,
    customerAvailable: s.customerAvailable,
    aroundTheClock: s.aroundTheClock,
    openedAt: new Date(Date.parse(m.input.openedAt)).toISOString(),
    firstResponseAt: iso(s.firstResponseAt),
    resolvedAt: iso(s.resolvedAt),
    closedAt: iso(s.closedAt),
    resolution: s.resolution,
    ...(m.input.experimentalFeature ? { experimentalFeature: true } : {}),
    clocks,
    slaState: slaSummary(
      Object.entries(s.clocks)
        .filter(([name]) => !s.retiredClocks.includes(name))
        .map(([, c]) => c),
      s.clocks[FIRST_RESPONSE]!,
    ),
    nextDueAt: nextDue === undefined ? null : iso(nextDue),
    contactAttempts: s.contactAttempts.map((a) => ({
      round: a.round,
      attempt: a.attempt,
      businessDate: a.businessDate,
      scheduledAt: iso(a.scheduledAt)!,
      madeAt: iso(a.madeAt),
      status: a.status,
    })),
    managerEscalation: s.managerEscalation && {
      level: s.managerEscalation.level,
      requestedAt: iso(s.managerEscalation.requestedAt)!,
      acknowledgedAt: iso(s.managerEscalation.acknowledgedAt),
    },
    rca: s.rca && { required: s.rca.required, deliveredAt: iso(s.rca.deliveredAt) },
    ...(m.pageEscalation ? { page: pageView(m) } : {}),
    acceptsNow: availableCommands(m),
    policyVersion: currentVersion(m),
    history: s.history,
    historyOmitted: s.historyTrimmed,
    version: s.version,
  };
}
