/**
 * What the case workflow hands its activities. Plain data only: these types are imported (type-only) by the
 * workflow bundle, so nothing here may pull in drizzle, node built-ins or the network.
 */
import type { CaseView, CaseWorkflowInput } from '../contract/case';

/** The case's fixed facts, written with every snapshot so the first write can create the row. */
export interface CaseRecord {
  caseId: string;
  workflowId: string;
  orgId: string;
  openedBy: string;
  type: string;
  entitlement: string;
  title: string;
  description: string;
  language: string;
  relatedCaseId: string | null;
  policyVersion: string;
  productId: string | null;
  productVersion: string | null;
  build: string | null;
  /** The workflow's input without carried state: kept once (case_inputs) so a back-test can replay the case. */
  input?: CaseWorkflowInput;
}

/** One audit event; `key` is derived deterministically in the workflow, so a retried write is a no-op. */
export interface CaseEventRecord {
  key: string;
  type: string;
  actorId: string;
  at: string;
  data: Record<string, unknown>;
}

export type NotificationChannel = 'email' | 'webhook' | 'page';

/** One outbox row; `dedupeKey` is globally unique (it starts with the case id). */
export interface NotificationRequest {
  dedupeKey: string;
  kind: string; // sla_warning, sla_breach, page, contact_attempt, manager_escalation, ...
  recipient: string; // 'owner:<id>', 'duty_manager', 'oncall:<region>', 'customer:<org>', 'sam:<org>', ...
  channel: NotificationChannel;
  payload: Record<string, unknown>;
}

/** Everything one workflow step changed, written in one transaction. */
export interface CaseChangeBatch {
  record: CaseRecord;
  view: CaseView;
  events: CaseEventRecord[];
  notifications: NotificationRequest[];
  /**
   * 'relay': the worker's outbox relay delivers this step's notices right after the commit (runs with
   * `patched('outbox-relay')`); absent: the workflow schedules the deliverNotifications activity itself.
   */
  deliver?: 'relay';
}

export interface CaseChangeResult {
  /** False when a newer snapshot was already stored (the write was stale and skipped). */
  snapshotWritten: boolean;
  /** Outbox rows of this batch still undelivered, when a delivery channel is configured. */
  toDeliver: string[];
  /** Set when the database refused the step for good (activities/quarantine.ts); the case goes on. */
  quarantined?: 'sanitized' | 'skipped';
  /**
   * The worker's clock (epoch ms) when the write finished. The workflow measures its next timer from it
   * (the server starts counting only when the task completes, after this write); the value is kept in the
   * local activity's marker, so a replay reads the same. Absent in histories from before it existed.
   */
  recordedAt?: number;
}

export interface DeliveryResult {
  delivered: number;
}
