/**
 * The case lifecycle as a deterministic state machine: commands and due timers change the state and queue
 * audit events and notifications; the workflow (case-workflow.ts) supplies time, durability and I/O.
 * No Temporal APIs here, so every rule reads as plain code.
 */
import { ApplicationFailure } from '@temporalio/common';
import {
  addBusinessTime,
  changeSeverity,
  computeDeadline,
  ENTITLEMENTS,
  fireDue,
  isAroundTheClock,
  nextBusinessDays,
  nextOpening,
  nextWake,
  pauseClock,
  rcaRequired,
  resumeClock,
  startClock,
  stopClock,
  sunRegionAt,
  nextSunHandoff,
  type DeadlineResult,
  type SlaClock,
} from '../policy';
import type { CalendarSpec, Level, SunRegion } from '../policy/types';
import type { CaseEventRecord, NotificationChannel, NotificationRequest } from '../activities/types';
import { clockIsActive, clockView, slaSummary } from './clock-view';
import type {
  Actor,
  AssignInput,
  CaseSettings,
  CaseView,
  CaseWorkflowInput,
  ChangeSeverityInput,
  CloseReason,
  ConfirmResolutionInput,
  CustomerAvailabilityInput,
  ResolveInput,
  Role,
} from '../contract/case';
import type { CaseState, ContactAttemptState } from './state';
import * as pages from './page-escalation';

export const FIRST_RESPONSE = 'firstResponse';
export const SEV1_UPDATE = 'sev1Update';
export const MANAGER_ACK = 'managerAck';

const SEEN_REQUESTS_LIMIT = 1000;
const HISTORY_LIMIT = 500;
const CUSTOMER_ROLES: Role[] = ['case_admin', 'license_admin', 'support_partner'];
const STAFF_ROLES: Role[] = ['engineer', 'manager', 'admin'];
const MANAGER_ROLES: Role[] = ['manager', 'admin'];
/** 24/7 wall-clock calendar for the around-the-clock update cadence. */
const WALL_CLOCK: CalendarSpec = { zone: 'UTC', alwaysOpen: true, windows: [], closedDates: [], label: '24/7' };

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function rejectUnless(condition: boolean, message: string): asserts condition {
  if (!condition) throw ApplicationFailure.create({ type: 'InvalidCaseTransition', message, nonRetryable: true });
}

function requireRole(actor: Actor, roles: Role[], action: string): void {
  rejectUnless(roles.includes(actor.role), `${action} is not allowed for role '${actor.role}' (allowed: ${roles.join(', ')})`);
}

export class CaseMachine {
  pendingEvents: CaseEventRecord[] = [];
  pendingNotifications: NotificationRequest[] = [];
  private batchKeys = new Set<string>();
  private readonly pageFx: pages.PageEffects = {
    record: (type, actorId, at, cause, data) => this.record(type, actorId, at, cause, data),
    notify: (kind, recipient, channel, cause, payload) => this.notify(kind, recipient, channel, cause, payload),
  };

  constructor(
    readonly input: CaseWorkflowInput,
    readonly settings: CaseSettings,
    readonly s: CaseState,
    /**
     * Severity 1 pages wait for an acknowledgement and escalate (page-escalation.ts). The workflow passes
     * `patched('page-escalation')`: cases that began before it replay exactly as they ran.
     */
    readonly pageEscalation = false,
  ) {}

  /** A brand-new case: first-response clock and, for Severity 1 on a 24/7 program, around-the-clock work. */
  static open(input: CaseWorkflowInput, settings: CaseSettings, pageEscalation = false): CaseMachine {
    const openedAt = Date.parse(input.openedAt);
    const state: CaseState = {
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
    const m = new CaseMachine(input, settings, state, pageEscalation);
    const deadline = m.firstResponseDeadline(openedAt, input.level);
    state.clocks[FIRST_RESPONSE] = startClock({
      name: FIRST_RESPONSE,
      at: openedAt,
      deadline,
      calendar: input.coverage,
      thresholds: settings.warningThresholds,
    });
    m.record('opened', input.openedBy.id, openedAt, 'open', {
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
    if (m.qualifiesForAroundTheClock(input.level)) m.startAroundTheClock(openedAt, 'open', input.openedBy.id);
    return m;
  }

  // ---- idempotency -------------------------------------------------------------------------------

  hasSeen(requestId: string): boolean {
    return this.s.seenRequests.includes(requestId);
  }

  markSeen(requestId: string): void {
    this.s.seenRequests.push(requestId);
    if (this.s.seenRequests.length > SEEN_REQUESTS_LIMIT) this.s.seenRequests.splice(0, this.s.seenRequests.length - SEEN_REQUESTS_LIMIT);
  }

  // ---- validators (synchronous; throw ApplicationFailure to reject an update) ----------------------

  validateEngineerResponse(actor: Actor): void {
    requireRole(actor, STAFF_ROLES, 'An engineer response');
    this.requireOpen();
  }

  validateChangeSeverity({ actor, level, reason }: ChangeSeverityInput): void {
    this.requireOpen();
    rejectUnless(this.s.status !== 'resolved', 'Severity cannot change on a resolved case: reopen it first');
    rejectUnless([1, 2, 3, 4].includes(level), `level must be 1, 2, 3 or 4 (got ${String(level)})`);
    rejectUnless(level !== this.s.level, `The case is already at level ${level}`);
    rejectUnless(typeof reason === 'string' && reason.trim().length > 0, 'A severity change needs a reason');
    rejectUnless(actor.role !== 'system', 'A severity change needs a person who agreed it');
    rejectUnless(
      ENTITLEMENTS[this.input.entitlement].targets[level].kind !== 'not_available',
      `Level ${level} is not available on the ${this.input.entitlement} program`,
    );
  }

  validateRequestInfo(actor: Actor): void {
    requireRole(actor, STAFF_ROLES, 'Requesting information');
    rejectUnless(
      this.s.status === 'opened' || this.s.status === 'in_progress',
      `Cannot request information while the case is ${this.s.status}`,
    );
  }

  validateCustomerReply(actor: Actor): void {
    requireRole(actor, CUSTOMER_ROLES, 'A customer reply');
    this.requireOpen();
  }

  validateTalkToManager(actor: Actor): void {
    this.requireOpen();
    rejectUnless(actor.role !== 'system', 'Talk to a manager needs a person');
    const e = this.s.managerEscalation;
    rejectUnless(!e || e.acknowledgedAt !== null, 'A manager escalation is already open for this case');
  }

  validateManagerAck(actor: Actor): void {
    requireRole(actor, MANAGER_ROLES, 'Acknowledging a manager escalation');
    const e = this.s.managerEscalation;
    rejectUnless(e !== null && e.acknowledgedAt === null, 'There is no open manager escalation to acknowledge');
  }

  validateResolve({ actor, resolutionType, summary }: ResolveInput): void {
    requireRole(actor, STAFF_ROLES, 'Resolving a case');
    rejectUnless(
      this.s.status === 'opened' || this.s.status === 'in_progress' || this.s.status === 'awaiting_customer',
      `Cannot resolve a case that is ${this.s.status}`,
    );
    rejectUnless(typeof summary === 'string' && summary.trim().length > 0, 'A resolution needs a summary');
    rejectUnless(
      resolutionType !== 'hotfix' || this.input.hotfixEligible,
      'A hotfix is only available to customers on the most recent publicly available build; offer an upgrade or a workaround',
    );
  }

  validateConfirmResolution(actor: Actor): void {
    requireRole(actor, CUSTOMER_ROLES, 'Confirming a resolution');
    rejectUnless(this.s.status === 'resolved', `Only a resolved case can be confirmed (the case is ${this.s.status})`);
  }

  validateCloseCase(): void {
    this.requireOpen();
  }

  validateAssign({ actor, ownerId }: AssignInput): void {
    requireRole(actor, STAFF_ROLES, 'Assigning a case');
    this.requireOpen();
    rejectUnless(typeof ownerId === 'string' && ownerId.length > 0, 'ownerId is required');
  }

  validateRcaDelivered(actor: Actor): void {
    requireRole(actor, STAFF_ROLES, 'Delivering a root-cause analysis');
    rejectUnless(this.s.rca?.required === true, 'This case does not track a root-cause analysis');
    rejectUnless(this.s.rca.deliveredAt === null, 'The root-cause analysis was already delivered');
  }

  validatePageAck(actor: Actor): void {
    requireRole(actor, STAFF_ROLES, 'Acknowledging a page');
    rejectUnless(this.pageEscalation, 'This case began before page acknowledgements were tracked; nothing to acknowledge');
    const refused = pages.validateAck(this.s.page);
    rejectUnless(refused === null, refused ?? '');
  }

  private requireOpen(): void {
    rejectUnless(this.s.status !== 'closed', 'The case is closed; open a new case that references it');
  }

  // ---- commands (validated first; `now` is workflow time) -------------------------------------------

  engineerResponse(actor: Actor, requestId: string, now: number, message?: string): void {
    this.respond(actor, requestId, now);
    this.record('engineer_response', actor.id, now, requestId, { message: message ?? null });
    if (this.s.aroundTheClock) this.restartUpdateCadence(now, requestId);
  }

  changeSeverity({ actor, level, reason, requestId }: ChangeSeverityInput, now: number): void {
    const from = this.s.level;
    const fr = this.s.clocks[FIRST_RESPONSE]!;
    const oldDue = clockView(fr, false).dueAt;
    if (clockIsActive(fr)) {
      // The design rule: the new target runs from the change, but a more severe level never moves the due time later.
      const deadline = this.firstResponseDeadline(now, level);
      this.s.clocks[FIRST_RESPONSE] = changeSeverity(fr, { at: now, deadline, moreSevere: level < from });
    }
    this.s.level = level;
    if (level < this.s.worstLevel) this.s.worstLevel = level;
    this.record('severity_changed', actor.id, now, requestId, {
      from,
      to: level,
      reason,
      by: actor,
      oldFirstResponseDueAt: oldDue,
      newFirstResponseDueAt: clockView(this.s.clocks[FIRST_RESPONSE]!, false).dueAt,
    });
    const qualifies = this.qualifiesForAroundTheClock(level);
    if (qualifies && !this.s.aroundTheClock) this.startAroundTheClock(now, requestId, actor.id);
    if (!qualifies && this.s.aroundTheClock) this.stopAroundTheClock(now, requestId, actor.id, 'severity lowered');
  }

  requestInfo(actor: Actor, requestId: string, now: number, message: string): void {
    this.respond(actor, requestId, now);
    const round = ++this.s.contactRound;
    const days = nextBusinessDays(this.input.businessCalendar, now, this.settings.contactAttempts, {
      at: this.settings.contactAttemptTime,
    });
    const attempts: ContactAttemptState[] = days.map((d, i) => ({
      round,
      attempt: i + 1,
      businessDate: d.date,
      scheduledAt: d.at,
      closesAt: d.closesAt,
      madeAt: null,
      status: 'scheduled',
    }));
    this.s.contactAttempts.push(...attempts);
    this.s.contactCloseAt = attempts.length > 0 ? attempts[attempts.length - 1]!.closesAt : null;
    this.setStatus('awaiting_customer', now, actor.id, requestId);
    this.record('info_requested', actor.id, now, requestId, {
      round,
      message,
      attempts: attempts.map((a) => ({ attempt: a.attempt, businessDate: a.businessDate, scheduledAt: iso(a.scheduledAt) })),
      closesIfUnansweredAt: iso(this.s.contactCloseAt),
    });
    this.notify('info_request', this.customer(), 'email', requestId, { round, message });
  }

  /** `email` carries where a reply by email came from (via, Message-ID, attachments); absent for API replies. */
  customerReply(actor: Actor, requestId: string, now: number, message?: string, email: Record<string, unknown> = {}): void {
    this.record('customer_reply', actor.id, now, requestId, { message: message ?? null, ...email });
    if (this.s.status === 'awaiting_customer') {
      this.cancelContactAttempts(now, requestId, actor.id);
      this.setStatus('in_progress', now, actor.id, requestId);
    } else if (this.s.status === 'resolved') {
      this.reopen(now, requestId, actor.id, 'customer replied after resolution');
    }
    this.notify('customer_reply', this.owner(), 'email', requestId, { message: message ?? null, ...email });
  }

  talkToManager(actor: Actor, requestId: string, now: number, reason: string): void {
    this.s.managerEscalation = { level: 1, requestedAt: now, acknowledgedAt: null };
    this.record('manager_requested', actor.id, now, requestId, { reason });
    this.startManagerAck(now, 1, requestId);
  }

  managerAck(actor: Actor, requestId: string, now: number, note?: string): void {
    const e = this.s.managerEscalation!;
    e.acknowledgedAt = now;
    this.s.clocks[MANAGER_ACK] = stopClock(this.s.clocks[MANAGER_ACK]!, now);
    this.record('manager_acknowledged', actor.id, now, requestId, { level: e.level, note: note ?? null, ...this.clockFacts(MANAGER_ACK) });
  }

  resolve({ actor, requestId, resolutionType, summary }: ResolveInput, now: number): void {
    this.respond(actor, requestId, now);
    if (this.s.status === 'awaiting_customer') this.cancelContactAttempts(now, requestId, actor.id);
    if (this.s.aroundTheClock) this.stopAroundTheClock(now, requestId, actor.id, 'resolved');
    this.s.resolution = { type: resolutionType, summary };
    this.s.resolvedAt = now;
    this.s.autoCloseAt = this.autoCloseInstant(now);
    this.setStatus('resolved', now, actor.id, requestId);
    this.record('resolved', actor.id, now, requestId, { resolutionType, summary, autoCloseAt: iso(this.s.autoCloseAt) });
    this.notify('case_resolved', this.customer(), 'email', requestId, {
      resolutionType,
      summary,
      autoCloseAt: iso(this.s.autoCloseAt),
    });
    if (!this.s.rca && rcaRequired(this.input.entitlement, this.s.worstLevel)) {
      this.s.rca = { required: true, deliveredAt: null };
      this.record('rca_required', 'system', now, requestId, { level: this.s.worstLevel });
      this.notify('rca_required', this.owner(), 'email', requestId, { level: this.s.worstLevel });
    }
  }

  confirmResolution({ actor, requestId, accepted, comment }: ConfirmResolutionInput, now: number): void {
    this.record(accepted ? 'resolution_confirmed' : 'resolution_rejected', actor.id, now, requestId, { comment: comment ?? null });
    if (accepted) this.close(now, 'confirmed', requestId, actor.id);
    else this.reopen(now, requestId, actor.id, 'customer rejected the resolution');
  }

  closeCase(actor: Actor, requestId: string, now: number, reason?: string): void {
    this.record('close_requested', actor.id, now, requestId, { reason: reason ?? null });
    this.close(now, 'customer_request', requestId, actor.id);
  }

  assign({ actor, requestId, ownerId, region, note }: AssignInput, now: number): void {
    const from = { ownerId: this.s.ownerId, region: this.s.ownerRegion };
    this.s.ownerId = ownerId;
    if (region) this.s.ownerRegion = region;
    this.record('assigned', actor.id, now, requestId, { from, to: { ownerId, region: this.s.ownerRegion }, note: note ?? null });
    this.touch();
  }

  rcaDelivered(actor: Actor, requestId: string, now: number, summary: string): void {
    this.s.rca!.deliveredAt = now;
    this.record('rca_delivered', actor.id, now, requestId, { summary });
    this.notify('rca_delivered', this.customer(), 'email', requestId, { summary });
  }

  pageAck(actor: Actor, requestId: string, now: number, note?: string): void {
    this.s.page = pages.acknowledge(this.s.page!, this.pageFx, actor, requestId, now, note);
  }

  customerAvailability({ actor, requestId, available, note }: CustomerAvailabilityInput, now: number): void {
    if (this.s.status === 'closed' || available === this.s.customerAvailable) return;
    this.s.customerAvailable = available;
    this.record(available ? 'customer_available' : 'customer_unavailable', actor.id, now, requestId, { note: note ?? null });
    if (!this.s.aroundTheClock) return;
    const cadence = this.s.clocks[SEV1_UPDATE];
    if (cadence) this.s.clocks[SEV1_UPDATE] = available ? resumeClock(cadence, now) : pauseClock(cadence, now);
    if (available) {
      this.handOffIfRegionChanged(now, requestId);
      this.s.nextHandoffAt = nextHandoffAfter(now);
    } else {
      this.s.nextHandoffAt = null;
    }
  }

  // ---- time ---------------------------------------------------------------------------------------

  /** The earliest instant anything is due, or null when the case only waits for people. */
  nextWakeAt(): number | null {
    let next: number | null = null;
    const consider = (at: number | null | undefined) => {
      if (at !== null && at !== undefined && (next === null || at < next)) next = at;
    };
    for (const [name, clock] of Object.entries(this.s.clocks)) {
      if (!this.s.retiredClocks.includes(name)) consider(nextWake(clock)?.at);
    }
    for (const a of this.s.contactAttempts) if (a.status === 'scheduled') consider(a.scheduledAt);
    consider(this.s.contactCloseAt);
    consider(this.s.autoCloseAt);
    consider(this.s.nextHandoffAt);
    consider(this.s.samNotifyAt);
    if (this.pageEscalation) consider(this.s.page?.escalateAt);
    return next;
  }

  /** Acts on everything due at or before `now`, in due order within each kind. */
  fireDue(now: number): void {
    for (const name of Object.keys(this.s.clocks)) {
      if (this.s.retiredClocks.includes(name)) continue;
      const before = this.s.clocks[name]!;
      const wake = nextWake(before);
      if (!wake || wake.at > now) continue;
      const { clock, events } = fireDue(before, now);
      this.s.clocks[name] = clock;
      for (const event of events) {
        if (event.kind === 'warning') {
          const scheduled = before.thresholds.find((t) => t.fraction === event.threshold)?.at ?? now;
          this.onWarning(name, before, event.threshold, scheduled, now);
        } else {
          this.onBreach(name, before.dueAt!, now);
        }
      }
      this.touch();
    }
    for (const a of this.s.contactAttempts) {
      if (a.status === 'scheduled' && a.scheduledAt <= now) this.makeContactAttempt(a, now);
    }
    if (this.s.contactCloseAt !== null && this.s.contactCloseAt <= now) {
      const cause = `timer@${iso(this.s.contactCloseAt)}`;
      this.record('contact_attempts_exhausted', 'system', now, cause, { round: this.s.contactRound });
      this.notify('closed_no_customer_response', this.customer(), 'email', cause, {
        message:
          `We tried to reach you on ${this.settings.contactAttempts} separate business days without an answer, so case ` +
          `${this.input.caseId} is now closed. If the issue continues, open a new case and reference ${this.input.caseId}.`,
        relatedCaseId: this.input.caseId,
      });
      this.close(now, 'no_customer_response', cause, 'system');
    }
    if (this.s.autoCloseAt !== null && this.s.autoCloseAt <= now) {
      const cause = `timer@${iso(this.s.autoCloseAt)}`;
      this.close(now, 'resolution_timeout', cause, 'system');
    }
    if (this.s.nextHandoffAt !== null && this.s.nextHandoffAt <= now) {
      const cause = `timer@${iso(this.s.nextHandoffAt)}`;
      this.handOffIfRegionChanged(now, cause);
      this.s.nextHandoffAt = nextHandoffAfter(now);
    }
    if (this.pageEscalation && this.s.page) {
      const before = this.s.page;
      this.s.page = pages.escalateIfDue(before, this.pageFx, now, this.settings.pageAckMinutes, {
        level: this.s.level,
        title: this.input.title,
      });
      if (this.s.page !== before) this.touch();
    }
    if (this.s.samNotifyAt !== null && this.s.samNotifyAt <= now) {
      const cause = `timer@${iso(this.s.samNotifyAt)}`;
      this.s.samNotifyAt = null;
      this.notify('sam_severity1', `sam:${this.input.orgId}`, 'email', cause, { level: this.s.level, title: this.input.title });
      this.record('sam_notified', 'system', now, cause, {});
    }
  }

  // ---- view ---------------------------------------------------------------------------------------

  get closedForGood(): boolean {
    return this.s.status === 'closed' && !(this.s.rca?.required && this.s.rca.deliveredAt === null);
  }

  view(): CaseView {
    const s = this.s;
    const clocks: CaseView['clocks'] = {};
    for (const [name, clock] of Object.entries(s.clocks)) clocks[name] = clockView(clock, s.retiredClocks.includes(name));
    const running = Object.values(clocks).filter((c) => c.state === 'running' && c.dueAt !== null);
    const nextDue = running.map((c) => Date.parse(c.dueAt!)).sort((a, b) => a - b)[0];
    return {
      caseId: this.input.caseId,
      status: s.status,
      closeReason: s.closeReason,
      entitlement: this.input.entitlement,
      level: s.level,
      type: this.input.type,
      ownerId: s.ownerId,
      ownerRegion: s.ownerRegion,
      customerAvailable: s.customerAvailable,
      aroundTheClock: s.aroundTheClock,
      openedAt: new Date(Date.parse(this.input.openedAt)).toISOString(),
      firstResponseAt: iso(s.firstResponseAt),
      resolvedAt: iso(s.resolvedAt),
      closedAt: iso(s.closedAt),
      resolution: s.resolution,
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
      ...(this.pageEscalation ? { page: pages.pageView(s.page) } : {}),
      history: s.history,
      historyOmitted: s.historyTrimmed,
      version: s.version,
    };
  }

  /** Takes the queued events and notifications for one database write. */
  drain(): { events: CaseEventRecord[]; notifications: NotificationRequest[] } {
    const out = { events: this.pendingEvents, notifications: this.pendingNotifications };
    this.pendingEvents = [];
    this.pendingNotifications = [];
    this.batchKeys.clear();
    return out;
  }

  // ---- rules --------------------------------------------------------------------------------------

  private firstResponseDeadline(at: number, level: Level): DeadlineResult {
    return computeDeadline({
      openedAt: at,
      entitlement: this.input.entitlement,
      level,
      caseType: this.input.type,
      coverage: this.input.coverage,
    });
  }

  private qualifiesForAroundTheClock(level: Level): boolean {
    return this.input.type !== 'general_inquiry' && isAroundTheClock(this.input.entitlement, level);
  }

  /** The first engineer action stops the first-response clock (met or breached, with the exact lateness). */
  private respond(actor: Actor, cause: string, now: number): void {
    if (this.s.ownerId === null && actor.role === 'engineer') this.s.ownerId = actor.id;
    if (this.s.status === 'opened') this.setStatus('in_progress', now, actor.id, cause);
    if (this.s.firstResponseAt !== null) return;
    this.s.firstResponseAt = now;
    const fr = this.s.clocks[FIRST_RESPONSE]!;
    if (clockIsActive(fr)) this.s.clocks[FIRST_RESPONSE] = stopClock(fr, now);
    this.record('first_response', actor.id, now, cause, this.clockFacts(FIRST_RESPONSE));
  }

  private startAroundTheClock(now: number, cause: string, actorId: string): void {
    const region = sunRegionAt(now);
    this.s.aroundTheClock = true;
    this.s.ownerRegion = region;
    this.s.retiredClocks = this.s.retiredClocks.filter((n) => n !== SEV1_UPDATE);
    this.startUpdateCadence(now);
    this.s.nextHandoffAt = this.s.customerAvailable ? nextHandoffAfter(now) : null;
    this.record('around_the_clock_started', actorId, now, cause, { region, cadenceMinutes: this.settings.sev1UpdateCadenceMinutes });
    this.notify('page', `oncall:${region}`, 'page', cause, { level: this.s.level, title: this.input.title, region });
    this.trackPage('page', region, now, cause);
    if (this.input.entitlement === 'premier') {
      // The Support Account Manager hears about it in the customer's business hours, not at 3 a.m.
      this.s.samNotifyAt = nextOpening(this.input.businessCalendar, now);
    }
  }

  private stopAroundTheClock(now: number, cause: string, actorId: string, why: string): void {
    this.s.aroundTheClock = false;
    this.s.nextHandoffAt = null;
    this.s.samNotifyAt = null;
    this.retire(SEV1_UPDATE, now);
    this.record('around_the_clock_stopped', actorId, now, cause, { why });
    if (this.pageEscalation) this.s.page = pages.withdraw(this.s.page, this.pageFx, now, cause, why);
  }

  private trackPage(kind: pages.PageState['kind'], region: SunRegion, now: number, cause: string): void {
    if (!this.pageEscalation) return;
    this.s.page = pages.openPage(this.s.page, this.pageFx, { kind, region, now, cause, ackMinutes: this.settings.pageAckMinutes });
  }

  private startUpdateCadence(now: number): void {
    const minutes = this.settings.sev1UpdateCadenceMinutes;
    const dueAt = now + minutes * 60_000;
    const label = minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
    const deadline: DeadlineResult = {
      kind: 'due',
      dueAt,
      target: { kind: 'wall', ms: minutes * 60_000 },
      targetLabel: `customer update every ${label}`,
      explanation: `Severity 1 around the clock: the customer gets an update every ${label} while their technical resource is available`,
    };
    let clock = startClock({ name: SEV1_UPDATE, at: now, deadline, calendar: WALL_CLOCK, thresholds: this.settings.warningThresholds });
    if (!this.s.customerAvailable) clock = pauseClock(clock, now);
    this.s.clocks[SEV1_UPDATE] = clock;
  }

  /** An engineer update meets the current cadence period and starts the next one. */
  private restartUpdateCadence(now: number, cause: string): void {
    const current = this.s.clocks[SEV1_UPDATE];
    if (current && clockIsActive(current)) {
      this.s.clocks[SEV1_UPDATE] = stopClock(current, now);
      this.record('customer_update_given', 'system', now, cause, this.clockFacts(SEV1_UPDATE));
    }
    this.startUpdateCadence(now);
  }

  private handOffIfRegionChanged(now: number, cause: string): void {
    const to = sunRegionAt(now);
    const from = this.s.ownerRegion;
    if (from === to) return;
    const previousOwner = this.s.ownerId;
    this.s.ownerRegion = to;
    // The next region's on-call engineer owns the case until someone there takes it by name.
    this.s.ownerId = null;
    this.record('handoff', 'system', now, cause, { from, to, previousOwner });
    this.notify('handoff', `oncall:${to}`, 'page', cause, { from, to, previousOwner, level: this.s.level });
    this.trackPage('handoff', to, now, cause);
    this.touch();
  }

  private startManagerAck(now: number, level: number, cause: string): void {
    const windowMs = this.settings.managerAckBusinessMinutes * 60_000;
    const calendar = this.input.businessCalendar;
    const dueAt = addBusinessTime(calendar, now, windowMs);
    const deadline: DeadlineResult = {
      kind: 'due',
      dueAt,
      target: { kind: 'business', ms: windowMs },
      targetLabel: `${this.settings.managerAckBusinessMinutes} business minutes`,
      explanation: `Manager level ${level} acknowledges within ${this.settings.managerAckBusinessMinutes} business minutes (${calendar.label ?? calendar.zone})`,
    };
    this.s.clocks[MANAGER_ACK] = startClock({ name: MANAGER_ACK, at: now, deadline, calendar, thresholds: [] });
    this.notify('manager_escalation', managerRecipient(level), 'email', `${cause}:L${level}`, {
      level,
      ackDueAt: iso(dueAt),
      title: this.input.title,
    });
  }

  /** The key names the clock run (start and number of re-targetings), so a re-armed threshold fires anew. */
  private onWarning(name: string, clock: SlaClock, threshold: number, scheduledFor: number, now: number): void {
    const cause = `${name}@${iso(clock.startedAt)}/${clock.changes.length}/${threshold}`;
    const dueAt = iso(clock.dueAt);
    const facts = { clock: name, threshold, scheduledFor: iso(scheduledFor), dueAt, level: this.s.level };
    this.record('sla_warning', 'system', now, cause, facts);
    const recipient = name === MANAGER_ACK ? managerRecipient(this.s.managerEscalation?.level ?? 1) : this.owner();
    this.notify('sla_warning', recipient, 'email', cause, facts);
  }

  /** Breach instant = due + 1 ms (a response exactly at the due instant is on time). */
  private onBreach(name: string, dueAt: number, now: number): void {
    const cause = `${name}@${iso(dueAt)}`;
    this.record('sla_breach', 'system', now, cause, { clock: name, dueAt: iso(dueAt), scheduledFor: iso(dueAt + 1), level: this.s.level });
    if (name === MANAGER_ACK) {
      this.escalateManager(now, cause);
      return;
    }
    const payload = { clock: name, dueAt: iso(dueAt), scheduledFor: iso(dueAt + 1), level: this.s.level, title: this.input.title };
    this.notify('sla_breach', this.owner(), 'email', cause, payload);
    this.notify('sla_breach', managerRecipient(1), 'email', cause, payload);
  }

  /** Nobody acknowledged in time: the next level up hears about it, until the top level. */
  private escalateManager(now: number, cause: string): void {
    const e = this.s.managerEscalation!;
    const top = 1 + this.settings.managerEscalationLevels;
    if (e.level >= top) {
      this.record('manager_escalation_exhausted', 'system', now, cause, { level: e.level });
      return;
    }
    e.level += 1;
    this.record('manager_escalated', 'system', now, cause, { level: e.level });
    this.startManagerAck(now, e.level, cause);
  }

  private makeContactAttempt(a: ContactAttemptState, now: number): void {
    a.status = 'made';
    a.madeAt = now;
    const cause = `contact:${a.round}:${a.attempt}`;
    this.record('contact_attempt', 'system', now, cause, { round: a.round, attempt: a.attempt, businessDate: a.businessDate });
    this.notify('contact_attempt', this.customer(), 'email', cause, {
      round: a.round,
      attempt: a.attempt,
      of: this.settings.contactAttempts,
      businessDate: a.businessDate,
    });
    this.touch();
  }

  private cancelContactAttempts(now: number, cause: string, actorId: string): void {
    const cancelled = this.s.contactAttempts.filter((a) => a.status === 'scheduled');
    for (const a of cancelled) a.status = 'cancelled';
    this.s.contactCloseAt = null;
    if (cancelled.length > 0) this.record('contact_attempts_cancelled', actorId, now, cause, { attempts: cancelled.map((a) => a.attempt) });
  }

  /** End of the N-th whole business day after the resolution (a day already begun does not count). */
  private autoCloseInstant(now: number): number {
    const n = this.settings.resolutionAutoCloseBusinessDays;
    return nextBusinessDays(this.input.businessCalendar, now, n)[n - 1]!.closesAt;
  }

  private reopen(now: number, cause: string, actorId: string, why: string): void {
    this.s.resolution = null;
    this.s.resolvedAt = null;
    this.s.autoCloseAt = null;
    this.setStatus('in_progress', now, actorId, cause);
    this.record('reopened', actorId, now, cause, { why });
    if (this.qualifiesForAroundTheClock(this.s.level)) this.startAroundTheClock(now, cause, actorId);
  }

  private close(now: number, reason: CloseReason, cause: string, actorId: string): void {
    this.cancelContactAttempts(now, cause, actorId);
    if (this.s.aroundTheClock) this.stopAroundTheClock(now, cause, actorId, 'closed');
    for (const name of Object.keys(this.s.clocks)) {
      if (clockIsActive(this.s.clocks[name]!)) this.retire(name, now);
    }
    this.s.autoCloseAt = null;
    this.s.closedAt = now;
    this.s.closeReason = reason;
    this.setStatus('closed', now, actorId, cause);
    this.record('closed', actorId, now, cause, { reason });
  }

  private retire(name: string, now: number): void {
    const clock = this.s.clocks[name];
    if (!clock) return;
    if (clockIsActive(clock)) this.s.clocks[name] = stopClock(clock, now);
    if (!this.s.retiredClocks.includes(name)) this.s.retiredClocks.push(name);
  }

  private setStatus(status: CaseState['status'], now: number, actorId: string, cause: string): void {
    if (this.s.status === status) return;
    const from = this.s.status;
    this.s.status = status;
    this.record('status_changed', actorId, now, cause, { from, to: status });
  }

  private clockFacts(name: string): Record<string, unknown> {
    const v = clockView(this.s.clocks[name]!, false);
    return { clock: name, state: v.state, dueAt: v.dueAt, stoppedAt: v.stoppedAt, latenessMs: v.latenessMs };
  }

  private owner(): string {
    if (this.s.ownerId) return `engineer:${this.s.ownerId}`;
    return this.s.ownerRegion ? `oncall:${this.s.ownerRegion}` : `queue:${this.input.region}`;
  }

  private customer(): string {
    return `customer:${this.input.orgId}`;
  }

  // ---- recording ----------------------------------------------------------------------------------

  private touch(): void {
    this.s.version++;
  }

  /** Appends to history and queues the audit event; the key is deterministic, so retries never duplicate. */
  private record(type: string, actorId: string, at: number, cause: string, data: Record<string, unknown>): void {
    let key = `${type}:${cause}`;
    for (let n = 2; this.batchKeys.has(key); n++) key = `${type}:${cause}#${n}`;
    this.batchKeys.add(key);
    const entry = { at: iso(at)!, type, actorId, data };
    this.s.history.push(entry);
    if (this.s.history.length > HISTORY_LIMIT) {
      const drop = this.s.history.length - HISTORY_LIMIT;
      this.s.history.splice(0, drop);
      this.s.historyTrimmed += drop;
    }
    this.pendingEvents.push({ key, type, actorId, at: entry.at, data });
    this.touch();
  }

  private notify(kind: string, recipient: string, channel: NotificationChannel, cause: string, payload: Record<string, unknown>): void {
    this.pendingNotifications.push({
      dedupeKey: `${this.input.caseId}:${kind}:${recipient}:${cause}`,
      kind,
      recipient,
      channel,
      payload: { caseId: this.input.caseId, ...payload },
    });
  }
}

function managerRecipient(level: number): string {
  return level === 1 ? 'manager:duty' : `manager:level${level}`;
}

function nextHandoffAfter(now: number): number {
  return nextSunHandoff(now).at;
}
