/**
 * What every rule module of the case machine works on: the case's fixed input, its pinned settings, the
 * carried state and the outbox of the current step (audit events and notifications not yet written). The
 * rules are plain functions over this context, one module per concern; `CaseMachine` (case-machine.ts) is
 * the one object the workflow holds. No Temporal APIs anywhere in this folder, so every rule reads as plain
 * code.
 */
import type { CaseEventRecord, NotificationRequest } from '../activities/types';
import type { CaseSettings, CaseWorkflowInput } from '../contract/case';
import type { CaseState } from './state';

/** Names of the SLA clocks in `CaseState.clocks` (carried across continue-as-new: never rename). */
export const FIRST_RESPONSE = 'firstResponse';
export const SEV1_UPDATE = 'sev1Update';
export const MANAGER_ACK = 'managerAck';

/** What one step queued for the next database write; `keys` are the audit-event keys of this batch. */
export interface Outbox {
  events: CaseEventRecord[];
  notifications: NotificationRequest[];
  keys: Set<string>;
}

export interface Machine {
  readonly input: CaseWorkflowInput;
  readonly settings: CaseSettings;
  readonly s: CaseState;
  readonly outbox: Outbox;
  /** Severity 1 pages are tracked and escalate (pages.ts): the workflow's `patched('page-escalation')`. */
  readonly pageEscalation: boolean;
  /** A severity change re-targets a first-response clock without a due instant: `patched('retarget-best-effort')`. */
  readonly retargetBestEffort?: boolean;
}

export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
