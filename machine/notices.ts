/**
 * Who is told what: every notification the case machine sends, with its recipient rule, channel and payload,
 * in one place. The rule modules decide *when* (and pass the cause that makes the dedupe key); this module
 * decides *whom* and *what*. A new notice kind is one more function here, called from the rule that causes it.
 *
 * | kind                          | recipient                               | channel | sent when                                |
 * |-------------------------------|-----------------------------------------|---------|------------------------------------------|
 * | `case_received`               | customer                                | email   | the case opens (first-response due time) |
 * | `engineer_response`           | customer                                | email   | an engineer answers publicly (text)      |
 * | `info_request`                | customer                                | email   | an engineer requests information         |
 * | `contact_attempt`             | customer                                | email   | a scheduled contact attempt is made      |
 * | `closed_no_customer_response` | customer                                | email   | the last attempt went unanswered         |
 * | `case_closed`                 | customer                                | email   | the case closes for any other reason     |
 * | `customer_reply`              | owner                                   | email   | the customer replies                     |
 * | `resolution_rejected`         | owner                                   | email   | the customer rejects the resolution      |
 * | `case_assigned`               | the new owner                           | email   | assignment or hand-off to an engineer    |
 * | `case_resolved`               | customer                                | email   | an engineer resolves the case            |
 * | `rca_required`                | owner                                   | email   | a resolution needs a root-cause analysis |
 * | `rca_delivered`               | customer                                | email   | the root-cause analysis is delivered     |
 * | `page`                        | on-call engineer of the current region  | page    | around-the-clock work starts             |
 * | `handoff`                     | on-call engineer of the next region     | page    | follow-the-sun hand-off                  |
 * | `page_escalation`             | fallback on-call, then the duty manager | page    | a page unacknowledged for pageAckMinutes |
 * | `sam_severity1`               | the customer's Support Account Manager  | email   | Premier Severity 1, in business hours    |
 * | `manager_escalation`          | manager of the escalation level         | email   | talk to a manager; each escalation level |
 * | `sla_warning`                 | owner (managerAck: the level's manager) | email   | a warning threshold of a clock passes    |
 * | `sla_breach`                  | owner and the duty manager              | email   | a clock (other than managerAck) breaches |
 * | `policy_migrated`             | owner                                   | email   | a migration moved a due instant earlier  |
 *
 * Kinds, audiences and payloads are contract/notices.ts's; recipients are its tagged `Recipient`, which the
 * delivery side resolves into people. Internal notes are never in a notice's payload.
 */
import { explanationFacts, type DeadlineResult } from '../policy';
import type { Level, SunRegion } from '../policy/types';
import type { Actor, CloseReason, ResolutionType } from '../contract/case';
import { formatRecipient, type NoticePayloads, type Recipient } from '../contract/notices';
import { iso, MANAGER_ACK, type Machine } from './context';
import { notify } from './recording';

// ---- recipients -------------------------------------------------------------------------------------

/** The customer organisation's contacts. */
export function customer(m: Machine): Recipient {
  return { to: 'customer', orgId: m.input.orgId };
}

/** The engineer who owns the case; else the on-call engineer of its region; else the region's queue. */
export function owner(m: Machine): Recipient {
  if (m.s.ownerId) return { to: 'engineer', id: m.s.ownerId };
  return m.s.ownerRegion ? { to: 'oncall', region: m.s.ownerRegion } : { to: 'queue', region: m.input.region };
}

/** Level 1 is the duty manager; higher levels are named by number. */
export function managerRecipient(level: number): Recipient {
  return { to: 'manager', level };
}

function oncall(region: SunRegion): Recipient {
  return { to: 'oncall', region };
}

function supportAccountManager(m: Machine): Recipient {
  return { to: 'sam', orgId: m.input.orgId };
}

// ---- conversation with the customer -------------------------------------------------------------------

/**
 * The customer hears that the case exists and when the first response is due. Only the local activity's
 * input changes when this is added, which replay does not compare, so running cases replay unchanged.
 */
export function caseReceived(m: Machine, cause: string, level: Level, deadline: DeadlineResult): void {
  const facts =
    deadline.kind === 'due' ? explanationFacts(m.input.coverage, deadline.target, Date.parse(m.input.openedAt), deadline.dueAt) : null;
  notify(m, 'case_received', customer(m), 'email', cause, {
    level,
    firstResponse: {
      kind: deadline.kind,
      dueAt: deadline.kind === 'due' ? iso(deadline.dueAt) : null,
      target: deadline.kind === 'due' ? deadline.target : null,
      explanation: deadline.explanation,
      // The explanation as data, for the reader's language (the English text above stays for old readers).
      ...(facts ? { facts: { ...facts, openedAt: iso(facts.openedAt)!, startsAt: iso(facts.startsAt)!, dueAt: iso(facts.dueAt)! } } : {}),
    },
  });
}

/**
 * An engineer's public reply reaches the customer side, in the case's language: the first response and every
 * update after it (Severity 1: the cadence's updates). A response recorded without text tells nobody.
 */
export function engineerResponded(m: Machine, cause: string, actor: Actor, message: string | undefined, first: boolean): void {
  if (!message || message.trim().length === 0) return;
  notify(m, 'engineer_response', customer(m), 'email', cause, { message, first, ...(actor.name ? { authorName: actor.name } : {}) });
}

export function infoRequested(m: Machine, cause: string, round: number, message: string): void {
  notify(m, 'info_request', customer(m), 'email', cause, { round, message });
}

export function contactAttempt(m: Machine, cause: string, a: { round: number; attempt: number; businessDate: string }): void {
  notify(m, 'contact_attempt', customer(m), 'email', cause, {
    round: a.round,
    attempt: a.attempt,
    of: m.settings.contactAttempts,
    businessDate: a.businessDate,
  });
}

export function closedNoCustomerResponse(m: Machine, cause: string): void {
  notify(m, 'closed_no_customer_response', customer(m), 'email', cause, {
    message:
      `We tried to reach you on ${m.settings.contactAttempts} separate business days without an answer, so case ` +
      `${m.input.caseId} is now closed. If the issue continues, open a new case and reference ${m.input.caseId}.`,
    relatedCaseId: m.input.caseId,
  });
}

/** Any other closure (confirmed, customer request, resolution timeout, an engineer's reason): why, and how to refer to it. */
export function caseClosed(m: Machine, cause: string, reason: CloseReason, closedBy: Actor | null): void {
  notify(m, 'case_closed', customer(m), 'email', cause, {
    reason,
    relatedCaseId: m.input.caseId,
    ...(closedBy ? { closedBy: { id: closedBy.id, role: closedBy.role } } : {}),
  });
}

/** The owner hears the reply (and that it reopened the case, when it did). */
export function customerReplied(
  m: Machine,
  cause: string,
  message: string | null,
  email: Record<string, unknown> = {},
  reopened = false,
): void {
  notify(m, 'customer_reply', owner(m), 'email', cause, { message, ...email, ...(reopened ? { reopened: true as const } : {}) });
}

/** The owner hears that the customer rejected the resolution (with the customer's comment). */
export function resolutionRejected(m: Machine, cause: string, by: Actor, comment: string | null): void {
  notify(m, 'resolution_rejected', owner(m), 'email', cause, { comment, by: { id: by.id, role: by.role } });
}

/** The new owner hears that the case is theirs now (an assignment's note is internal and stays out). */
export function caseAssigned(m: Machine, cause: string, by: Actor, from: string | null): void {
  if (!m.s.ownerId || m.s.ownerId === by.id) return; // taking a case yourself needs no mail
  notify(m, 'case_assigned', owner(m), 'email', cause, { from, by: { id: by.id, role: by.role }, region: m.s.ownerRegion });
}

// ---- resolution and root-cause analysis ---------------------------------------------------------------

export function caseResolved(m: Machine, cause: string, resolutionType: ResolutionType, summary: string, autoCloseAt: number | null): void {
  notify(m, 'case_resolved', customer(m), 'email', cause, { resolutionType, summary, autoCloseAt: iso(autoCloseAt) });
}

export function rcaRequired(m: Machine, cause: string, level: Level): void {
  notify(m, 'rca_required', owner(m), 'email', cause, { level });
}

export function rcaDelivered(m: Machine, cause: string, summary: string): void {
  notify(m, 'rca_delivered', customer(m), 'email', cause, { summary });
}

// ---- around the clock ---------------------------------------------------------------------------------

export function aroundTheClockPage(m: Machine, cause: string, region: SunRegion): void {
  notify(m, 'page', oncall(region), 'page', cause, { level: m.s.level, title: m.input.title, region });
}

export function handoff(m: Machine, cause: string, from: SunRegion | null, to: SunRegion, previousOwner: string | null): void {
  notify(m, 'handoff', oncall(to), 'page', cause, { from, to, previousOwner, level: m.s.level });
}

/** Who holds a Severity 1 page at each escalation level (docs/notifications.md, "Pages"). */
export function pageChain(region: SunRegion): string[] {
  return [oncall(region), { to: 'oncall', region, fallback: true } as const, managerRecipient(1)].map(formatRecipient);
}

export function pageEscalation(m: Machine, cause: string, region: SunRegion, kind: string, facts: Record<string, unknown>): void {
  notify(m, 'page_escalation', String(facts.to), 'page', cause, { ...facts, region, kind, level: m.s.level, title: m.input.title });
}

export function samSeverity1(m: Machine, cause: string): void {
  notify(m, 'sam_severity1', supportAccountManager(m), 'email', cause, { level: m.s.level, title: m.input.title });
}

// ---- managers and SLA clocks --------------------------------------------------------------------------

export function managerEscalation(m: Machine, cause: string, level: number, ackDueAt: number): void {
  notify(m, 'manager_escalation', managerRecipient(level), 'email', `${cause}:L${level}`, {
    level,
    ackDueAt: iso(ackDueAt),
    title: m.input.title,
  });
}

/** The clock's watcher: the escalation's manager for a manager acknowledgement, else the case owner. */
export function slaWarning(m: Machine, clock: string, cause: string, facts: Record<string, unknown>): void {
  const recipient = clock === MANAGER_ACK ? managerRecipient(m.s.managerEscalation?.level ?? 1) : owner(m);
  notify(m, 'sla_warning', recipient, 'email', cause, facts);
}

/** The owner and the duty manager (a missed manager acknowledgement escalates instead: escalation.ts). */
/** A policy migration moved a due instant earlier (or breaches a clock at once): the owner hears which and why. */
export function policyMigrated(m: Machine, cause: string, payload: NoticePayloads['policy_migrated']): void {
  notify(m, 'policy_migrated', owner(m), 'email', cause, payload);
}

export function slaBreach(m: Machine, cause: string, payload: Record<string, unknown>): void {
  notify(m, 'sla_breach', owner(m), 'email', cause, payload);
  notify(m, 'sla_breach', managerRecipient(1), 'email', cause, payload);
}
