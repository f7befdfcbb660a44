/**
 * The case workflow's public contract: its input, its handlers and the live state it returns.
 * Shared by the workflow, the API (which only ever talks to a case through these) and tests.
 * Evolve by adding optional fields; never rename or remove what running workflows or clients rely on.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OutOfScopeCategory } from '../policy/scope';
import type { CalendarSpec, CaseType, EntitlementId, Level, MarketRegion, SunRegion } from '../policy/types';
import type { PinnedPolicy } from '../policy/versions';

export const TASK_QUEUE = 'cases';
export const CASE_WORKFLOW_TYPE = 'caseWorkflow';

/** One case, one workflow: the id is derived from the case id so a retried create finds the same workflow. */
export function caseWorkflowId(caseId: string): string {
  return `case-${caseId}`;
}

import type { CommandName } from './command-names';
import type { Role } from './roles';

export type { Role } from './roles';

export interface Actor {
  id: string;
  role: Role;
  name?: string;
}

export const CASE_STATUSES = ['opened', 'in_progress', 'awaiting_customer', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CLOSE_REASONS = [
  'confirmed', // customer confirmed the resolution
  'resolution_timeout', // no reply within the configured business days after resolution
  'no_customer_response', // three contact attempts on separate business days went unanswered
  'customer_request',
] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export const RESOLUTION_TYPES = [
  'workaround',
  'configuration_change',
  'hotfix',
  'upgrade',
  'documentation',
  'third_party_referral',
  'defect_fixed_in_later_release',
  // The request is outside the scope of Support (policy/scope.ts): referred, with the policy's explanation.
  'out_of_scope_referral',
] as const;
export type ResolutionType = (typeof RESOLUTION_TYPES)[number];

export type { CaseSettings } from '../policy/settings';
import type { CaseSettings } from '../policy/settings';

export interface CaseWorkflowInput {
  caseId: string;
  orgId: string;
  supportId: string;
  title: string;
  type: CaseType;
  entitlement: EntitlementId;
  level: Level;
  region: MarketRegion;
  language: string;
  openedAt: string; // ISO 8601 instant
  openedBy: Actor;
  /** Program coverage calendar (when the response clock runs), in the organisation's zone, holidays resolved. */
  coverage: CalendarSpec;
  /** Organisation business hours for contact attempts and business-day counts (Mon-Fri 08:00-17:00 by default). */
  businessCalendar: CalendarSpec;
  /** The customer runs the latest public build of the product (hotfixes only then). */
  hotfixEligible: boolean;
  policyVersion: string;
  /**
   * Targets and around-the-clock levels of the case's program in its policy version, pinned at opening so a
   * later version never changes a running case. Absent on cases opened before versions were data: the
   * shipped constants (version 1) apply.
   */
  policy?: PinnedPolicy;
  /** The case is about a feature marked Experimental: supported with limitations (no hotfix). */
  experimentalFeature?: boolean;
  settings?: Partial<CaseSettings>;
  relatedCaseId?: string;
  /** Read-model fields recorded with the case row (the workflow itself never interprets them). */
  description?: string;
  productId?: string;
  productVersion?: string;
  build?: string;
  /** Present only when the workflow continued as new: everything it had. Opaque outside the workflow. */
  carried?: unknown;
}

/** Every handler input carries who acts and a request id: the same request id twice has one effect. */
interface Command {
  requestId: string;
  actor: Actor;
}

export interface EngineerResponseInput extends Command {
  message?: string;
}
/** A note staff write for each other: never shown to the customer side on any path (contract/audit-events.ts). */
export interface InternalNoteInput extends Command {
  message: string;
  /** Files on the note (issue 18): staff only like the note; their identity only, never the bytes. */
  attachments?: ReplyAttachment[];
}
export interface ChangeSeverityInput extends Command {
  level: Level;
  reason: string;
}
export interface RequestInfoInput extends Command {
  message: string;
}
/**
 * A file that came with a reply (or a note): its identity as the workflow records it, never its bytes.
 * `id` and `sha256` name the stored file (issue 18); replies recorded before it have only name, type, size.
 */
export interface ReplyAttachment {
  /** The stored attachment (GET /v1/cases/{id}/attachments/{attachmentId}); absent when it was not kept. */
  id?: string;
  name: string;
  contentType: string;
  size: number; // bytes
  /** SHA-256 of the content, hex. */
  sha256?: string;
}
export interface CustomerReplyInput extends Command {
  message?: string;
  /** Present when the reply came by email (optional, so API replies and old histories are unchanged). */
  via?: 'email';
  /** The email's Message-ID. */
  messageId?: string;
  /** Files with the reply, by email or uploaded (optional: replies without files record what they always did). */
  attachments?: ReplyAttachment[];
}
export interface TalkToManagerInput extends Command {
  reason: string;
}
export interface ManagerAckInput extends Command {
  note?: string;
}
export interface ResolveInput extends Command {
  resolutionType: ResolutionType;
  summary: string;
  /** With out_of_scope_referral only: what kind of request Support does not take. */
  outOfScope?: OutOfScopeCategory;
}
export interface ConfirmResolutionInput extends Command {
  accepted: boolean; // false reopens the case
  comment?: string;
}
export interface CloseCaseInput extends Command {
  reason?: string;
}
export interface AssignInput extends Command {
  ownerId: string;
  region?: SunRegion;
  note?: string;
}
export interface RcaDeliveredInput extends Command {
  summary: string;
}
export interface PageAckInput extends Command {
  note?: string;
}
export interface CustomerAvailabilityInput extends Command {
  available: boolean;
  note?: string;
}
/**
 * Moves an open case to another published policy version (docs/policy.md, "Migrating open cases"): its
 * running clocks are re-targeted under the version's targets and coverage, which later severity changes use too.
 */
export interface MigratePolicyInput extends Command {
  /** The version's key (what cases opened under it pin as policyVersion). */
  toVersion: string;
  /** The case's program under that version, and its coverage calendar built from the version's windows. */
  policy: PinnedPolicy;
  coverage: CalendarSpec;
  /** The state version the preview saw: the case refuses when it changed since (preview again). */
  expectedStateVersion?: number;
  /** The migration run that sends it (for the audit trail). */
  migrationId?: string;
}

export const CLOCK_STATES = ['running', 'paused', 'met', 'breached', 'no_target', 'not_available', 'best_effort', 'stopped'] as const;
export type ClockState = (typeof CLOCK_STATES)[number];

export interface ClockView {
  name: string; // 'firstResponse', 'sev1Update', 'managerAck', ...
  state: ClockState;
  dueAt: string | null;
  startedAt: string | null;
  stoppedAt: string | null;
  breachedAt: string | null;
  latenessMs: number | null;
  target: string | null; // human form, e.g. '8 business hours'
  explanation: string;
}

export interface ContactAttemptView {
  round: number; // which request for information
  attempt: number; // 1..3
  businessDate: string; // local YYYY-MM-DD
  scheduledAt: string;
  madeAt: string | null;
  status: 'scheduled' | 'made' | 'cancelled';
}

export interface HistoryEntry {
  at: string;
  type: string;
  actorId: string;
  data: Record<string, unknown>;
}

/**
 * The Severity 1 page that waits for (or got) an acknowledgement: who holds it now along the chain
 * `oncall:<region>` -> `oncall:<region>:fallback` -> `manager:duty`, and when it escalates next.
 */
export interface PageView {
  kind: 'page' | 'handoff';
  region: string;
  pagedAt: string;
  /** 0 = the region's on-call engineer, 1 = the region's fallback on-call, 2 = the duty manager. */
  escalationLevel: number;
  recipient: string;
  escalatesAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  /** Around-the-clock work ended before anyone acknowledged: the page no longer escalates. */
  withdrawnAt: string | null;
}

/** The live state a query or update returns. */
export interface CaseView {
  caseId: string;
  status: CaseStatus;
  closeReason: CloseReason | null;
  entitlement: EntitlementId;
  level: Level;
  type: CaseType;
  ownerId: string | null;
  ownerRegion: SunRegion | null;
  customerAvailable: boolean;
  aroundTheClock: boolean;
  openedAt: string;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  resolution: { type: ResolutionType; summary: string; outOfScope?: OutOfScopeCategory } | null;
  /** Present (true) only on cases about an experimental feature. */
  experimentalFeature?: boolean;
  clocks: Record<string, ClockView>; // always has 'firstResponse'
  slaState: string; // summary for search: 'on_track' | 'at_risk' | 'breached' | 'met' | 'no_target' ...
  nextDueAt: string | null;
  contactAttempts: ContactAttemptView[];
  managerEscalation: { level: number; requestedAt: string; acknowledgedAt: string | null } | null;
  rca: { required: boolean; deliveredAt: string | null } | null;
  /** The latest Severity 1 page; absent on cases that began before page escalation existed. */
  page?: PageView | null;
  /**
   * The commands the case's state accepts now (contract/commands.ts names), from whoever may send them; the
   * API narrows them to the caller's role. Absent on views recorded before it existed.
   */
  acceptsNow?: CommandName[];
  /**
   * The policy version the case follows now: the one it opened under, or the one its latest migration moved it
   * to. Absent on views recorded before migrations reported it (the opening version applies).
   */
  policyVersion?: string;
  history: HistoryEntry[];
  /** Oldest history entries left out of `history` on very long cases (all of them stay in case_events). */
  historyOmitted?: number;
  /** Bumps on every state change: the read model keeps only the newest snapshot. */
  version: number;
}

/** Returns once the case is recorded in the database; used with update-with-start by the API. */
export const openedUpdate = defineUpdate<CaseView, [{ requestId: string }]>('opened');
export const engineerResponseUpdate = defineUpdate<CaseView, [EngineerResponseInput]>('engineerResponse');
export const internalNoteUpdate = defineUpdate<CaseView, [InternalNoteInput]>('internalNote');
export const changeSeverityUpdate = defineUpdate<CaseView, [ChangeSeverityInput]>('changeSeverity');
export const requestInfoUpdate = defineUpdate<CaseView, [RequestInfoInput]>('requestInfo');
export const customerReplyUpdate = defineUpdate<CaseView, [CustomerReplyInput]>('customerReply');
export const talkToManagerUpdate = defineUpdate<CaseView, [TalkToManagerInput]>('talkToManager');
export const managerAckUpdate = defineUpdate<CaseView, [ManagerAckInput]>('managerAck');
export const resolveUpdate = defineUpdate<CaseView, [ResolveInput]>('resolve');
export const confirmResolutionUpdate = defineUpdate<CaseView, [ConfirmResolutionInput]>('confirmResolution');
export const closeCaseUpdate = defineUpdate<CaseView, [CloseCaseInput]>('closeCase');
export const assignUpdate = defineUpdate<CaseView, [AssignInput]>('assign');
export const rcaDeliveredUpdate = defineUpdate<CaseView, [RcaDeliveredInput]>('rcaDelivered');
export const pageAckUpdate = defineUpdate<CaseView, [PageAckInput]>('pageAck');
export const migratePolicyUpdate = defineUpdate<CaseView, [MigratePolicyInput]>('migratePolicy');

export const customerAvailabilitySignal = defineSignal<[CustomerAvailabilityInput]>('customerAvailability');

export const getCaseQuery = defineQuery<CaseView>('getCase');
