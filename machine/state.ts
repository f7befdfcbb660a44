/**
 * The case workflow's whole state: plain data, so it can be carried through continue-as-new unchanged.
 * Instants are epoch milliseconds of workflow time.
 */
import type { PinnedPolicy, SlaClock } from '../policy';
import type { OutOfScopeCategory } from '../policy/scope';
import type { CalendarSpec, Level, SunRegion } from '../policy/types';
import type { CaseStatus, CloseReason, HistoryEntry, ResolutionType } from '../contract/case';

export interface ContactAttemptState {
  round: number;
  attempt: number;
  businessDate: string;
  scheduledAt: number;
  closesAt: number; // end of that business day: the last attempt's deadline for a reply
  madeAt: number | null;
  status: 'scheduled' | 'made' | 'cancelled';
}

/** A Severity 1 page waiting for (or past) its acknowledgement (machine/pages.ts). */
export interface PageState {
  kind: 'page' | 'handoff';
  region: SunRegion;
  pagedAt: number;
  /** Cause of the original page notice: escalation notices derive their dedupe keys from it. */
  cause: string;
  /** Index into the page chain (machine/notices.ts pageChain): 0 on-call, 1 fallback on-call, 2 duty manager. */
  level: number;
  escalateAt: number | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  withdrawnAt?: number | null;
}

export interface CaseState {
  status: CaseStatus;
  closeReason: CloseReason | null;
  level: Level;
  /** Most severe level the case ever had: root-cause analysis follows the incident's worst moment. */
  worstLevel: Level;
  ownerId: string | null;
  ownerRegion: SunRegion | null;
  customerAvailable: boolean;
  aroundTheClock: boolean;
  firstResponseAt: number | null;
  resolvedAt: number | null;
  closedAt: number | null;
  resolution: { type: ResolutionType; summary: string; outOfScope?: OutOfScopeCategory } | null;
  clocks: Record<string, SlaClock>;
  /** Clocks that no longer apply (e.g. the update cadence after Severity 1 ended): shown as 'stopped'. */
  retiredClocks: string[];
  contactRound: number;
  contactAttempts: ContactAttemptState[];
  /** When the unanswered last contact attempt closes the case (end of its business day). */
  contactCloseAt: number | null;
  managerEscalation: { level: number; requestedAt: number; acknowledgedAt: number | null } | null;
  autoCloseAt: number | null;
  nextHandoffAt: number | null;
  samNotifyAt: number | null;
  rca: { required: boolean; deliveredAt: number | null } | null;
  /** The latest Severity 1 page (absent in state carried from runs before page escalation). */
  page?: PageState | null;
  history: HistoryEntry[];
  /** History entries dropped from the carried state (they stay in the case_events table). */
  historyTrimmed: number;
  /** Recent request ids, oldest first: the same request id twice has one effect. */
  seenRequests: string[];
  version: number;
  /**
   * Set by a policy migration (migration.ts): the version the case follows since, whose targets and coverage
   * later re-targetings use instead of the input's. Absent for cases never migrated (and in older state).
   */
  migratedPolicy?: { policyVersion: string; policy: PinnedPolicy; coverage: CalendarSpec; at: number };
}
