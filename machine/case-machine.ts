/**
 * The case lifecycle as a deterministic state machine: commands and due timers change the state and queue
 * audit events and notifications; the workflow (../case-workflow.ts) supplies time, durability and I/O.
 * This class is the one object the workflow holds: it keeps the context (input, settings, state, outbox)
 * and the request ids already applied, and hands each command to the module of its concern:
 *
 *   commands.ts          every command's checks and effect (keyed like contract/commands.ts)
 *   validators.ts        when a command fits the case (its state and input checks)
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
import type { CaseEventRecord, NotificationRequest } from '../activities/types';
import type { CaseSettings, CaseView, CaseWorkflowInput } from '../contract/case';
import type { AnyCommand } from '../contract/commands';
import type { CaseState } from './state';
import { applyCommand, validateCommand } from './commands';
import type { Machine, Outbox } from './context';
import { initialState, openCase } from './opening';
import { drainOutbox, emptyOutbox } from './recording';
import * as timers from './timers';
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
    /** The workflow's `patched('retarget-best-effort')` (triage.ts): decided once per run, like pageEscalation. */
    readonly retargetBestEffort = false,
  ) {}

  /** A brand-new case: first-response clock and, for Severity 1 on a 24/7 program, around-the-clock work. */
  static open(input: CaseWorkflowInput, settings: CaseSettings, pageEscalation = false, retargetBestEffort = false): CaseMachine {
    const m = new CaseMachine(input, settings, initialState(input), pageEscalation, retargetBestEffort);
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

  // ---- commands (contract/commands.ts; rules in commands.ts) ------------------------------------------

  /** Throws InvalidCaseTransition when the case refuses the command (synchronous: update validators). */
  validate(command: AnyCommand): void {
    validateCommand(this, command);
  }

  /** Applies a validated command once per request id; `now` is workflow time. False when already applied. */
  apply(command: AnyCommand, now: number): boolean {
    if (this.hasSeen(command.input.requestId)) return false;
    this.markSeen(command.input.requestId);
    applyCommand(this, command, now);
    return true;
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
