/**
 * A brand-new case: its initial state, the first-response clock and, for Severity 1 on a 24/7 program,
 * around-the-clock work from the first minute.
 */
import type { CaseWorkflowInput } from '../contract/case';
import type { CaseState } from './state';
import { qualifiesForAroundTheClock, startAroundTheClock } from './around-the-clock';
import { startFirstResponseClock } from './clocks';
import { iso, type Machine } from './context';
import { caseReceived } from './notices';
import { record } from './recording';

export function initialState(input: CaseWorkflowInput): CaseState {
  return {
    status: 'opened',
    closeReason: null,
    level: input.level,
    worstLevel: input.level,
    ownerId: null,
    ownerRegion: null,
    customerAvailable: true,
    aroundTheClock: false,
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    resolution: null,
    clocks: {},
    retiredClocks: [],
    contactRound: 0,
    contactAttempts: [],
    contactCloseAt: null,
    managerEscalation: null,
    autoCloseAt: null,
    nextHandoffAt: null,
    samNotifyAt: null,
    rca: null,
    history: [],
    historyTrimmed: 0,
    seenRequests: [],
    version: 0,
  };
}

/** Applies the opening to a machine holding `initialState(input)`. */
export function openCase(m: Machine): void {
  const { input } = m;
  const openedAt = Date.parse(input.openedAt);
  const deadline = startFirstResponseClock(m, openedAt);
  record(m, 'opened', input.openedBy.id, openedAt, 'open', {
    level: input.level,
    entitlement: input.entitlement,
    type: input.type,
    title: input.title,
    policyVersion: input.policyVersion,
    firstResponse: {
      kind: deadline.kind,
      dueAt: deadline.kind === 'due' ? iso(deadline.dueAt) : null,
      explanation: deadline.explanation,
    },
    relatedCaseId: input.relatedCaseId ?? null,
  });
  caseReceived(m, 'open', input.level, deadline);
  if (qualifiesForAroundTheClock(m, input.level)) startAroundTheClock(m, openedAt, 'open', input.openedBy.id);
}
