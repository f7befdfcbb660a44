/**
 * A Premier case started straight on Temporal (update-with-start exactly as the API does it), optionally with
 * openedAt back in the past so its first-response breach falls due seconds from now: how the cluster suite
 * sees a durable timer fire without waiting 30 minutes, and how the cluster benchmarks open cases without
 * the HTTP layer.
 */
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { caseCalendars } from '../../api/cases/calendars';
import { CASE_WORKFLOW_TYPE, caseWorkflowId, openedUpdate, TASK_QUEUE, type CaseWorkflowInput } from '../../contract/case';
import type { organisations } from '../../db/schema';
import { POLICY_VERSION } from '../../policy';
import type { MarketRegion } from '../../policy/types';

const PREMIER_TARGET_MS = 30 * 60_000;

export interface DirectCaseOptions {
  /** When the first-response breach falls due (default: 30 minutes from now, as for a case opened now). */
  dueAt?: number;
  /** Warning thresholds as fractions of the target (the workflow's default otherwise). */
  warningThresholds?: number[];
}

/** The input the API would give a Premier case of `org` opened at `openedAt` (title, level and settings to taste). */
export function premierCaseInput(
  org: typeof organisations.$inferSelect,
  caseId: string,
  openedAt: Date,
  fields: Partial<Pick<CaseWorkflowInput, 'title' | 'description' | 'level' | 'settings'>> = {},
): CaseWorkflowInput {
  return {
    caseId,
    orgId: org.id,
    supportId: org.supportId,
    title: `direct case ${caseId}`,
    description: 'Started on Temporal with openedAt in the past, so its clocks fall due while it is watched.',
    type: 'technical',
    entitlement: 'premier',
    level: 3,
    region: org.marketRegion as MarketRegion,
    language: org.language,
    openedAt: openedAt.toISOString(),
    openedBy: { id: 'acme-premier-anna', role: 'case_admin', name: 'Anna (acme-premier)' },
    ...caseCalendars(org, openedAt),
    hotfixEligible: true,
    policyVersion: POLICY_VERSION,
    productId: 'backup-replication',
    productVersion: '12.3',
    build: '12.3.1.1139',
    ...fields,
  };
}

export async function startPremierCase(
  client: Client,
  org: typeof organisations.$inferSelect,
  caseId: string,
  opts: DirectCaseOptions = {},
): Promise<void> {
  const openedAt = new Date((opts.dueAt ?? Date.now() + PREMIER_TARGET_MS) - PREMIER_TARGET_MS);
  const input = premierCaseInput(org, caseId, openedAt, {
    title: `cluster timer ${caseId}`,
    ...(opts.warningThresholds ? { settings: { warningThresholds: opts.warningThresholds } } : {}),
  });
  await client.workflow.executeUpdateWithStart(openedUpdate, {
    args: [{ requestId: caseId }],
    updateId: `opened-${caseId}`,
    startWorkflowOperation: new WithStartWorkflowOperation(CASE_WORKFLOW_TYPE, {
      workflowId: caseWorkflowId(caseId),
      taskQueue: TASK_QUEUE,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  });
}
