/**
 * Opening a case: who may open it for which organisation, the policy facts it pins (calendars, hotfix
 * eligibility, policy version), then one update-with-start. The `opened` update answers once the workflow
 * has recorded the case row, so the 201 carries real SLA due times and the case is already listable.
 */
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import { ENTITLEMENTS, pinnedPolicy, settingsFor, type PinnedPolicy } from '../../policy';
import { versionAt } from '../policy/versions-store';
import { CaseMachine } from '../../machine/case-machine';
import { resolveSettings } from '../../policy/settings';
import { caseSearchAttributes } from '../../workflows/search-attributes';
import type { EntitlementId, Level, MarketRegion } from '../../policy/types';
import { cases } from '../../db/schema';
import { CASE_WORKFLOW_TYPE, caseWorkflowId, openedUpdate, type CaseView, type CaseWorkflowInput } from '../../contract/case';
import { languageProblem, levelUnavailable } from '../policy-checks';
import { actorOf, canSeeOrg, type Principal } from '../principal';
import { invalid, notFound, unprocessable } from '../problem';
import type { CreateCaseBody } from '../schemas/cases';
import type { Services } from '../services';
import type { z } from '../zod';
import { withImportedClosures } from '../calendars/closures-store';
import { caseCalendars } from './calendars';
import { caseResource, type CaseRow } from './case-resource';
import { caseIdForKey, claimKey, completeKey, requestHash } from './idempotency';
import { temporalProblem } from './temporal-errors';

type Body = z.output<typeof CreateCaseBody>;

export interface OpenCaseResult {
  body: ReturnType<typeof caseResource>;
  replayed: boolean;
}

export async function openCase(svc: Services, principal: Principal, body: Body, idempotencyKey?: string): Promise<OpenCaseResult> {
  const { db } = svc;
  const orgId = body.orgId ?? principal.orgId;
  if (!orgId) throw invalid([{ field: 'orgId', in: 'body', reason: 'support partners name the customer organisation' }]);
  const org = canSeeOrg(principal, orgId) ? await svc.caches.organisation(orgId) : undefined;
  if (!org) throw notFound('organisation');
  if (body.supportId !== org.supportId) throw unprocessable('supportId', "does not match the organisation's Support ID");

  const entitlement = org.entitlement as EntitlementId;
  // The version in force now decides this case's calendars, targets and settings, pinned for its whole life,
  // and so also which levels it may open at.
  const openedAt = new Date();
  const policy = await versionAt(db, openedAt);
  const pinned = pinnedPolicy(policy.document, entitlement);
  const level = caseLevel(entitlement, body, pinned);
  const language = body.language ?? org.language;
  const languageIssue = languageProblem(org.marketRegion, language);
  if (languageIssue) throw unprocessable('language', languageIssue);
  const hotfixEligible = await productFacts(svc, body);
  if (body.experimentalFeature && body.type !== 'technical') {
    throw unprocessable('experimentalFeature', 'only a technical case is about a product feature');
  }
  const relatedCaseId = await relatedCase(svc, org.id, body.relatedCaseId);

  const caseId = idempotencyKey ? caseIdForKey(principal.id, idempotencyKey) : randomUUID();
  if (idempotencyKey) {
    const claim = await claimKey(db, principal.id, idempotencyKey, requestHash({ ...body, orgId }), caseId);
    if (claim.replay) return { body: claim.replay as OpenCaseResult['body'], replayed: true };
  }

  const input: CaseWorkflowInput = {
    caseId,
    orgId: org.id,
    supportId: org.supportId,
    title: body.title,
    description: body.description,
    type: body.type,
    entitlement,
    level,
    region: org.marketRegion as MarketRegion,
    language,
    openedAt: openedAt.toISOString(),
    openedBy: actorOf(principal),
    // The organisation's imported closures in force now are pinned with its holidays (issue 23).
    ...caseCalendars(await withImportedClosures(db, org), openedAt, policy.document),
    hotfixEligible,
    policyVersion: policy.key,
    policy: pinned,
    settings: settingsFor(policy.document),
    ...(body.experimentalFeature ? { experimentalFeature: true } : {}),
    ...(relatedCaseId ? { relatedCaseId } : {}),
    ...(body.product ? { productId: body.product, productVersion: body.version, build: body.build } : {}),
  };
  const view = await startCase(svc, input, idempotencyKey ?? caseId);
  const [row] = await db.select().from(cases).where(eq(cases.id, caseId));
  if (!row) throw new Error(`case ${caseId} answered 'opened' before its row was recorded`);
  const resource = caseResource(row, view ?? (row.snapshot as CaseView), view ? 'workflow' : 'read_model');
  if (idempotencyKey) await completeKey(db, principal.id, idempotencyKey, resource);
  return { body: resource, replayed: false };
}

/** Update-with-start; a case whose workflow already finished (a very late retry) is answered from the read model. */
async function startCase(svc: Services, input: CaseWorkflowInput, requestId: string): Promise<CaseView | null> {
  // The case as it opens (the same pure machine the workflow runs): its first search attributes and memo go
  // with the start, so the workflow's first task has nothing to upsert.
  const opening = CaseMachine.open(input, resolveSettings(input.settings), true).view();
  const startWorkflowOperation = new WithStartWorkflowOperation(CASE_WORKFLOW_TYPE, {
    workflowId: caseWorkflowId(input.caseId),
    taskQueue: svc.taskQueue,
    args: [input],
    memo: { title: input.title, caseId: input.caseId },
    typedSearchAttributes: caseSearchAttributes(opening, input),
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
  try {
    return await svc.withDeadline(() =>
      svc.temporal.workflow.executeUpdateWithStart(openedUpdate, {
        args: [{ requestId }],
        updateId: `opened-${requestId}`,
        startWorkflowOperation,
      }),
    );
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return null;
    throw temporalProblem(err) ?? err;
  }
}

function caseLevel(entitlement: EntitlementId, body: Body, pinned: PinnedPolicy): Level {
  const scheme = ENTITLEMENTS[entitlement].scheme;
  const [wanted, other] = scheme === 'priority' ? (['priority', 'severity'] as const) : (['severity', 'priority'] as const);
  if (body[other] !== undefined) {
    throw unprocessable(
      other,
      scheme === 'priority' ? 'this plan uses priorities: send priority P1-P4' : 'this program uses severities: send severity 1-4',
    );
  }
  const value = scheme === 'priority' ? (body.priority ? Number(body.priority.slice(1)) : undefined) : body.severity;
  if (value === undefined) {
    if (body.type === 'general_inquiry') return 4;
    throw invalid([{ field: wanted, in: 'body', reason: `required for ${body.type} cases` }]);
  }
  const unavailable = levelUnavailable(entitlement, value as Level, pinned);
  if (unavailable) throw unprocessable(wanted, unavailable);
  return value as Level;
}

/** Technical cases name product, version and build; hotfixes only for the latest public build. */
async function productFacts(svc: Services, body: Body): Promise<boolean> {
  const missing = (['product', 'version', 'build'] as const).filter((f) => body[f] === undefined);
  if (body.type === 'technical' && missing.length > 0) {
    throw invalid(missing.map((field) => ({ field, in: 'body' as const, reason: 'required for technical cases' })));
  }
  if (!body.product) {
    if (body.version || body.build) throw invalid([{ field: 'product', in: 'body', reason: 'required with version or build' }]);
    return false;
  }
  if (!body.version) throw invalid([{ field: 'version', in: 'body', reason: 'required with product' }]);
  const version = await svc.caches.productVersion(body.product, body.version);
  if (!version) throw unprocessable('version', `no version ${body.version} of product ${body.product}`);
  return body.build === version.latestBuild;
}

/** A follow-up references a closed case of the same organisation. */
async function relatedCase(svc: Services, orgId: string, relatedCaseId: string | undefined): Promise<string | undefined> {
  if (!relatedCaseId) return undefined;
  const [related]: Pick<CaseRow, 'orgId' | 'status'>[] = await svc.db
    .select({ orgId: cases.orgId, status: cases.status })
    .from(cases)
    .where(eq(cases.id, relatedCaseId));
  if (!related || related.orgId !== orgId) throw unprocessable('relatedCaseId', 'no such case in this organisation');
  if (related.status !== 'closed') throw unprocessable('relatedCaseId', 'only a closed case can be referenced by a new one');
  return relatedCaseId;
}
