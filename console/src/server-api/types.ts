/** Shapes of the API's answers the console reads (see GET /openapi.json). */
import type { ClockView, PageView } from '../../../contract/case';

export type Clock = ClockView;
/** The latest Severity 1 page of a case and its acknowledgement. */
export type { PageView };

export interface Me {
  id: string;
  name: string;
  role: 'case_admin' | 'license_admin' | 'support_partner' | 'engineer' | 'manager' | 'admin';
  orgId: string | null;
  homeRegion: string | null;
  managerLevel: number | null;
  linkedOrgIds: string[];
}

export interface CaseSummary {
  id: string;
  number: number;
  orgId: string;
  type: string;
  status: string;
  closeReason: string | null;
  program: string;
  severity: number;
  priority: string | null;
  levelLabel: string;
  title: string;
  language: string;
  product: { id: string; version: string | null; build: string | null } | null;
  ownerId: string | null;
  ownerRegion: string | null;
  aroundTheClock: boolean;
  customerAvailable: boolean;
  openedAt: string;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  slaState: string;
  nextDueAt: string | null;
  sla: Record<string, Clock>;
  page: PageView | null;
  version: number;
}

export interface QueueItem extends CaseSummary {
  customer: { name: string; timeZone: string; marketRegion: string };
}

export interface QueuePage {
  items: QueueItem[];
  page: number;
  pageSize: number;
  total: number;
}

export interface CaseDetail extends CaseSummary {
  description: string;
  resolution: { type: string; summary: string } | null;
  managerEscalation: { level: number; requestedAt: string; acknowledgedAt: string | null } | null;
  contactAttempts: { round: number; attempt: number; businessDate: string; scheduledAt: string; madeAt: string | null; status: string }[];
  history: { at: string; type: string; actorId: string; data: Record<string, unknown> }[];
}

export interface CaseEvent {
  id: number;
  type: string;
  actorId: string;
  data: Record<string, unknown>;
  occurredAt: string;
}

export interface Organisation {
  id: string;
  name: string;
  supportId: string;
  entitlement: string;
  marketRegion: string;
  timeZone: string;
  language: string;
}

export interface Policy {
  entitlements: { id: string; name: string; scheme: 'severity' | 'priority'; coverage: string; targets: Record<string, string> }[];
  regionLanguages: Record<string, string[]>;
}

export interface Product {
  id: string;
  name: string;
  versions: { version: string; lifecycle: string; latestBuild: string }[];
}

export interface CaseChange {
  id: number;
  caseId: string;
  caseNumber: number;
  orgId: string;
  type: string;
  status: string;
  slaState: string;
}

export interface SlaReportRow {
  program: string;
  severity: number;
  levelLabel: string;
  cases: number;
  met: number;
  breached: number;
  open: number;
  achievement: number | null;
  medianFirstResponseMs: number | null;
  p90FirstResponseMs: number | null;
}

export interface SlaDay {
  day: string;
  cases: number;
  met: number;
  breached: number;
  medianFirstResponseMs: number | null;
  p90FirstResponseMs: number | null;
}
