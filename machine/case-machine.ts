/**
 * The case lifecycle as a deterministic state machine: commands and due timers change the state and queue
 * audit events and notifications; the workflow (../case-workflow.ts) supplies time, durability and I/O.
 * This class is the one object the workflow holds: it keeps the context (input, settings, state, outbox)
 * and the request ids already applied, and hands each command to the module of its concern:
 *
 *   validators.ts        who may do what, and when (update validators)
 *   opening.ts           a new case: initial state, first-response clock
 *   clocks.ts            first-response clock, retiring clocks; clock-alerts.ts: warnings and breaches
 *   triage.ts            severity change, assignment
 *   conversation.ts      engineer responses, requests for information, customer replies
 *   contact-attempts.ts  the attempts on separate business days
 *   around-the-clock.ts  Severity 1 cadence, follow-the-sun hand-offs, customer availability, SAM notice
 *   escalation.ts        talk to a manager, acknowledgement, escalation
 *   pages.ts             Severity 1 pages: acknowledgement, escalation to the fallback and the duty manager
 *   resolution.ts        resolve, confirm or reject, close, reopen, root-cause analysis
 *   timers.ts            when the case next wakes, and what fires then (in order)
 *   notices.ts           who is told what (every notification and its recipient)
 *   recording.ts         history, audit events, the notification queue, the state version
 *   view.ts              the CaseView
 */
import type { CaseEventRecord, NotificationRequest } from '../../activities/types';
import type {
  Actor,
  AssignInput,
  CaseSettings,
  CaseView,
  CaseWorkflowInput,
  ChangeSeverityInput,
  ConfirmResolutionInput,
  CustomerAvailabilityInput,
  ResolveInput,
} from '../../contract/case';
import type { CaseState } from '../state';
import * as aroundTheClock from './around-the-clock';
import type { Machine, Outbox } from './context';
import * as conversation from './conversation';
import * as escalation from './escalation';
import { initialState, openCase } from './opening';
import * as pages from './pages';
import { drainOutbox, emptyOutbox } from './recording';
import * as resolution from './resolution';
import * as timers from './timers';
import * as triage from './triage';
import * as validators from './validators';
import { caseView, closedForGood } from './view';

const SEEN_REQUESTS_LIMIT = 1000;

export class CaseMachine implements Machine {
  readonly outbox: Outbox = emptyOutbox();

  constructor(
    readonly input: CaseWorkflowInput,
    readonly settings: CaseSettings,
    readonly s: CaseState,
    /** The workflow's `patched('page-escalation')`: cases that began before it replay exactly as they ran. */
    readonly pageEscalation = false,
  ) {}

  /** A brand-new case: first-response clock and, for Severity 1 on a 24/7 program, around-the-clock work. */
  static open(input: CaseWorkflowInput, settings: CaseSettings, pageEscalation = false): CaseMachine {
    const m = new CaseMachine(input, settings, initialState(input), pageEscalation);
    openCase(m);
    return m;
  }

  /** Audit events queued since the last drain. */
  get pendingEvents(): CaseEventRecord[] {
    return this.outbox.events;
  }

  /** Notifications queued since the last drain. */
  get pendingNotifications(): NotificationRequest[] {
    return this.outbox.notifications;
  }

  // ---- idempotency: the same request id twice has one effect ------------------------------------------

  hasSeen(requestId: string): boolean {
    return this.s.seenRequests.includes(requestId);
  }

  markSeen(requestId: string): void {
    this.s.seenRequests.push(requestId);
    if (this.s.seenRequests.length > SEEN_REQUESTS_LIMIT) this.s.seenRequests.splice(0, this.s.seenRequests.length - SEEN_REQUESTS_LIMIT);
  }

  // ---- validators (synchronous; throw ApplicationFailure to reject an update) ----------------------------

  validateEngineerResponse(actor: Actor): void {
    validators.validateEngineerResponse(this, actor);
  }

  validateChangeSeverity(arg: ChangeSeverityInput): void {
    validators.validateChangeSeverity(this, arg);
  }

  validateRequestInfo(actor: Actor): void {
    validators.validateRequestInfo(this, actor);
  }

  validateCustomerReply(actor: Actor): void {
    validators.validateCustomerReply(this, actor);
  }

  validateTalkToManager(actor: Actor): void {
    validators.validateTalkToManager(this, actor);
  }

  validateManagerAck(actor: Actor): void {
    validators.validateManagerAck(this, actor);
  }

  validateResolve(arg: ResolveInput): void {
    validators.validateResolve(this, arg);
  }

  validateConfirmResolution(actor: Actor): void {
    validators.validateConfirmResolution(this, actor);
  }

  validateCloseCase(): void {
    validators.validateCloseCase(this);
  }

  validateAssign(arg: AssignInput): void {
    validators.validateAssign(this, arg);
  }

  validateRcaDelivered(actor: Actor): void {
    validators.validateRcaDelivered(this, actor);
  }

  validatePageAck(actor: Actor): void {
    validators.validatePageAck(this, actor);
  }

  // ---- commands (validated first; `now` is workflow time) -----------------------------------------------

  engineerResponse(actor: Actor, requestId: string, now: number, message?: string): void {
    conversation.engineerResponse(this, actor, requestId, now, message);
  }

  changeSeverity(arg: ChangeSeverityInput, now: number): void {
    triage.changeSeverity(this, arg, now);
  }

  requestInfo(actor: Actor, requestId: string, now: number, message: string): void {
    conversation.requestInfo(this, actor, requestId, now, message);
  }

  customerReply(actor: Actor, requestId: string, now: number, message?: string, email?: Record<string, unknown>): void {
    conversation.customerReply(this, actor, requestId, now, message, email);
  }

  talkToManager(actor: Actor, requestId: string, now: number, reason: string): void {
    escalation.talkToManager(this, actor, requestId, now, reason);
  }

  managerAck(actor: Actor, requestId: string, now: number, note?: string): void {
    escalation.managerAck(this, actor, requestId, now, note);
  }

  resolve(arg: ResolveInput, now: number): void {
    resolution.resolve(this, arg, now);
  }

  confirmResolution(arg: ConfirmResolutionInput, now: number): void {
    resolution.confirmResolution(this, arg, now);
  }

  closeCase(actor: Actor, requestId: string, now: number, reason?: string): void {
    resolution.closeCase(this, actor, requestId, now, reason);
  }

  assign(arg: AssignInput, now: number): void {
    triage.assign(this, arg, now);
  }

  rcaDelivered(actor: Actor, requestId: string, now: number, summary: string): void {
    resolution.rcaDelivered(this, actor, requestId, now, summary);
  }

  pageAck(actor: Actor, requestId: string, now: number, note?: string): void {
    pages.acknowledgePage(this, actor, requestId, now, note);
  }

  customerAvailability(arg: CustomerAvailabilityInput, now: number): void {
    aroundTheClock.customerAvailability(this, arg, now);
  }

  // ---- time ---------------------------------------------------------------------------------------------

  /** The earliest instant anything is due, or null when the case only waits for people. */
  nextWakeAt(): number | null {
    return timers.nextWakeAt(this);
  }

  /** Acts on everything due at or before `now`. */
  fireDue(now: number): void {
    timers.fireDue(this, now);
  }

  // ---- view ---------------------------------------------------------------------------------------------

  get closedForGood(): boolean {
    return closedForGood(this);
  }

  view(): CaseView {
    return caseView(this);
  }

  /** Takes the queued events and notifications for one database write. */
  drain(): { events: CaseEventRecord[]; notifications: NotificationRequest[] } {
    return drainOutbox(this.outbox);
  }
}
