/**
 * Every notice the case sends, once: its kind, its audience and the payload it carries (exactly the
 * shapes recorded outbox rows already hold, so old rows still read). The machine queues them
 * (machine/notices.ts decides whom), the delivery side composes them: customer mail is a
 * `Record<CustomerNoticeKind, ...>` and staff mail a `Record<StaffNoticeKind, ...>`, so a kind without its
 * text fails to compile instead of going out in some fallback form.
 */
import type { Level, SunRegion } from '../policy/types';
import type { CloseReason, ReplyAttachment, ResolutionType, Role } from './case';

/** Who reads a notice: the customer side (in the case's language) or vendor staff. */
export type NoticeAudience = 'customer' | 'staff';

/** How one person closed or changed the case, as a notice tells it (the side, never an internal note). */
export interface NoticeActor {
  id: string;
  role: Role;
}

export interface NoticePayloads {
  // ---- to the customer side ---------------------------------------------------------------------------
  case_received: {
    level: Level;
    firstResponse: {
      kind: string;
      dueAt: string | null;
      target: unknown;
      explanation: string;
      /** policy/deadline.ts ExplanationFacts with ISO instants; absent on rows written before it existed. */
      facts?: {
        counting: 'wall' | 'business';
        zone: string;
        windows: Array<{ day: number; open: string; close: string }>;
        openedAt: string;
        startsAt: string;
        dueAt: string;
        closedDays: string[];
      };
    };
  };
  /** An engineer's public reply: a response or an update (Severity 1: each cadence period's update). */
  engineer_response: { message: string; first: boolean; authorName?: string };
  info_request: { round: number; message: string };
  contact_attempt: { round: number; attempt: number; of: number; businessDate: string };
  closed_no_customer_response: { message: string; relatedCaseId: string };
  case_closed: { reason: CloseReason; relatedCaseId: string; closedBy?: NoticeActor; closeNote?: string | null };
  case_resolved: { resolutionType: ResolutionType; summary: string; autoCloseAt: string | null };
  rca_delivered: { summary: string };
  /** Derived at delivery from a level-1 `manager_escalation`: the customer hears that a manager will call. */
  manager_request_ack: { level: number; ackDueAt: string | null; title: string };
  // ---- to staff ---------------------------------------------------------------------------------------
  customer_reply: { message: string | null; via?: 'email'; messageId?: string | null; attachments?: ReplyAttachment[]; reopened?: true };
  resolution_rejected: { comment: string | null; by: NoticeActor };
  case_assigned: { from: string | null; note?: null; by: NoticeActor; region: SunRegion | null };
  rca_required: { level: Level };
  page: { level: Level; title: string; region: SunRegion };
  handoff: { from: SunRegion | null; to: SunRegion; previousOwner: string | null; level: Level };
  page_escalation: Record<string, unknown> & { region: SunRegion; kind: string; level: Level; title: string };
  sam_severity1: { level: Level; title: string };
  manager_escalation: { level: number; ackDueAt: string | null; title: string };
  sla_warning: Record<string, unknown>;
  sla_breach: Record<string, unknown>;
  /** A policy migration (machine/migration.ts) moved these clocks' due instants earlier, or breaches them at once. */
  policy_migrated: {
    from: string;
    to: string;
    title: string;
    clocks: Array<{
      clock: string;
      oldDueAt: string | null;
      newDueAt: string | null;
      newTarget: string;
      elapsedMs: number;
      breachesAtOnce: boolean;
    }>;
  };
}

export type NoticeKind = keyof NoticePayloads;

/** The audience of each kind (the compiler checks every kind has one). */
export const NOTICE_AUDIENCE = {
  case_received: 'customer',
  engineer_response: 'customer',
  info_request: 'customer',
  contact_attempt: 'customer',
  closed_no_customer_response: 'customer',
  case_closed: 'customer',
  case_resolved: 'customer',
  rca_delivered: 'customer',
  manager_request_ack: 'customer',
  customer_reply: 'staff',
  resolution_rejected: 'staff',
  case_assigned: 'staff',
  rca_required: 'staff',
  page: 'staff',
  handoff: 'staff',
  page_escalation: 'staff',
  sam_severity1: 'staff',
  manager_escalation: 'staff',
  sla_warning: 'staff',
  sla_breach: 'staff',
  policy_migrated: 'staff',
} as const satisfies { readonly [K in NoticeKind]: NoticeAudience };

type KindsFor<A extends NoticeAudience> = { [K in NoticeKind]: (typeof NOTICE_AUDIENCE)[K] extends A ? K : never }[NoticeKind];
export type CustomerNoticeKind = KindsFor<'customer'>;
export type StaffNoticeKind = KindsFor<'staff'>;

export const NOTICE_KINDS = Object.keys(NOTICE_AUDIENCE) as NoticeKind[];
/** Kinds a customer contact can subscribe to (a contact's `kinds`). */
export const CUSTOMER_NOTICE_KINDS = NOTICE_KINDS.filter((k) => NOTICE_AUDIENCE[k] === 'customer') as CustomerNoticeKind[];

/** One notice as the machine queues it: the kind and its payload, checked together. */
export type Notice = { [K in NoticeKind]: { kind: K; payload: NoticePayloads[K] } }[NoticeKind];

// ---- recipients: who a notice is addressed to, resolved into people at delivery ---------------------------

/** A role the delivery side expands into people from the rota, contacts and principals at the time. */
export type Recipient =
  | { to: 'customer'; orgId: string }
  | { to: 'engineer'; id: string }
  | { to: 'oncall'; region: SunRegion; fallback?: boolean }
  | { to: 'queue'; region: string }
  | { to: 'manager'; level: number }
  | { to: 'sam'; orgId: string };

/** The stored form (`customer:<org>`, `engineer:<id>`, `oncall:<region>[:fallback]`, `queue:<region>`, `manager:duty|level<n>`, `sam:<org>`). */
export function formatRecipient(r: Recipient): string {
  switch (r.to) {
    case 'customer':
      return `customer:${r.orgId}`;
    case 'engineer':
      return `engineer:${r.id}`;
    case 'oncall':
      return `oncall:${r.region}${r.fallback ? ':fallback' : ''}`;
    case 'queue':
      return `queue:${r.region}`;
    case 'manager':
      return r.level === 1 ? 'manager:duty' : `manager:level${r.level}`;
    case 'sam':
      return `sam:${r.orgId}`;
  }
}

/** The stored form back to the tagged one; null for anything else. */
export function parseRecipient(s: string): Recipient | null {
  const [to, ...rest] = s.split(':');
  const arg = rest.join(':');
  switch (to) {
    case 'customer':
      return arg ? { to, orgId: arg } : null;
    case 'engineer':
      return arg ? { to, id: arg } : null;
    case 'oncall': {
      const [region, flag] = arg.split(':');
      if (region !== 'APAC' && region !== 'EMEA' && region !== 'AMERICAS') return null;
      return flag === 'fallback' ? { to, region, fallback: true } : flag === undefined ? { to, region } : null;
    }
    case 'queue':
      return arg ? { to, region: arg } : null;
    case 'manager': {
      if (arg === 'duty') return { to, level: 1 };
      const n = /^level([1-9][0-9]*)$/.exec(arg);
      return n ? { to, level: Number(n[1]) } : null;
    }
    case 'sam':
      return arg ? { to, orgId: arg } : null;
    default:
      return null;
  }
}
