/**
 * The audit trail's vocabulary: every event type the case records, and which of them (or which of their
 * fields) are internal. Internal means staff only on every path: the case resource's history, the events
 * list, the live stream, mail, reports and exports. `forAudience` is the one filter all of them apply.
 */
import type { Role } from './roles';
import { isStaffRole } from './roles';

export const AUDIT_EVENT_TYPES = [
  'opened',
  'first_response',
  'engineer_response',
  'internal_note',
  'info_requested',
  'customer_reply',
  'contact_attempt',
  'contact_attempts_cancelled',
  'contact_attempts_exhausted',
  'status_changed',
  'severity_changed',
  'assigned',
  'around_the_clock_started',
  'around_the_clock_stopped',
  'customer_update_given',
  'customer_available',
  'customer_unavailable',
  'handoff',
  'page_acknowledged',
  'page_escalated',
  'page_withdrawn',
  'sam_notified',
  'manager_requested',
  'manager_acknowledged',
  'manager_escalated',
  'manager_escalation_exhausted',
  'resolved',
  'resolution_confirmed',
  'resolution_rejected',
  'reopened',
  'close_requested',
  'closed',
  'rca_required',
  'rca_delivered',
  'sla_warning',
  'sla_breach',
  'policy_migrated',
  // Written by activities, not by the machine: a notice that found nobody to mail.
  'notice_unreachable',
  // Written by the API: a reply by mail it refused (who tried, and why), for staff to look into.
  'inbound_mail_refused',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/** Events only staff ever see. */
export const INTERNAL_EVENTS: ReadonlySet<string> = new Set<AuditEventType>([
  'internal_note',
  'inbound_mail_refused',
  'notice_unreachable',
]);

/** Fields staff write for each other on otherwise public events: the notes on an assignment and on acknowledgements. */
const INTERNAL_FIELDS: Partial<Record<AuditEventType, readonly string[]>> = {
  assigned: ['note'],
  manager_acknowledged: ['note'],
  page_acknowledged: ['note'],
};

export type Audience = 'staff' | 'customer';

export const audienceOf = (role: Role): Audience => (isStaffRole(role) ? 'staff' : 'customer');

/** The event as `audience` may see it: null when it is internal, else without its internal fields. */
export function forAudience<E extends { type: string; data: Record<string, unknown> }>(event: E, audience: Audience): E | null {
  if (audience === 'staff') return event;
  if (INTERNAL_EVENTS.has(event.type)) return null;
  const hidden = INTERNAL_FIELDS[event.type as AuditEventType];
  if (!hidden || !hidden.some((f) => f in event.data)) return event;
  const data = { ...event.data };
  for (const f of hidden) delete data[f];
  return { ...event, data };
}

/** Only the events `audience` may see, each as it may see it. */
export function visibleTo<E extends { type: string; data: Record<string, unknown> }>(events: readonly E[], audience: Audience): E[] {
  if (audience === 'staff') return [...events];
  return events.map((e) => forAudience(e, audience)).filter((e): e is E => e !== null);
}
