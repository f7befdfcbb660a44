/** What the back-test reads (a case's pinned input and its audit trail) and what it says about a case. */
import type { Level } from '../../policy/types';
import type { CaseWorkflowInput, CloseReason, ClockState, Role } from '../../contract/case';
import type { SlaOutcome } from '../../contract/sla-outcome';

/** One audit event as case_events keeps it; `at` in epoch ms. */
export interface RecordedEvent {
  key: string;
  type: string;
  actorId: string;
  at: number;
  data: Record<string, unknown>;
}

export interface RecordedCase {
  /** The workflow's input (case_inputs), `carried` left out. */
  input: CaseWorkflowInput;
  /** In the order they were written (occurred_at, then id). */
  events: RecordedEvent[];
}

/** Who did a recorded command: a principal's role decides ownership; unknown people get a role fitting the command. */
export type RoleOf = (actorId: string) => Role | undefined;

/** One case's result under one policy. */
export interface CaseOutcome {
  caseId: string;
  entitlement: string;
  /** The level the first-response clock ended (or still runs) at. */
  level: Level;
  openedAt: number;
  firstResponse: {
    state: ClockState;
    /** The SLA reports' classification (contract/sla-outcome.ts). */
    outcome: SlaOutcome;
    dueAt: number | null;
    respondedAt: number | null;
    /** Opening to first response, counted on the clock's calendar (business time for business targets). */
    elapsedMs: number | null;
    target: string | null;
    explanation: string;
  };
  warnings: number;
  breaches: number;
  contactAttemptsMade: number;
  closeReason: CloseReason | null;
  closedAt: number | null;
  /** Recorded commands this policy refused (e.g. a reply to a case it had already closed). */
  refusedCommands: number;
}
