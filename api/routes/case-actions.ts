/**
 * Case actions as POST sub-resources. Each becomes one workflow update (or, for customer availability, a
 * signal) carrying the actor and a request id; the workflow decides whether the action fits the case's
 * state and answers with its new view. An Idempotency-Key header doubles as the request id, so a retried
 * action has one effect.
 */
import { randomUUID } from 'node:crypto';
import type { UpdateDefinition } from '@temporalio/client';
import { and, eq, isNull } from 'drizzle-orm';
import { ENTITLEMENTS } from '../../policy';
import type { EntitlementId, Level, SunRegion } from '../../policy/types';
import { principals } from '../../db/schema';
import {
  assignUpdate,
  changeSeverityUpdate,
  closeCaseUpdate,
  confirmResolutionUpdate,
  customerAvailabilitySignal,
  customerReplyUpdate,
  engineerResponseUpdate,
  managerAckUpdate,
  pageAckUpdate,
  rcaDeliveredUpdate,
  requestInfoUpdate,
  resolveUpdate,
  talkToManagerUpdate,
  type Actor,
  type CaseView,
  type Role,
} from '../../contract/case';
import { caseResource, type CaseRow } from '../cases/case-resource';
import { loadCase } from '../cases/load-case';
import { claimKey, requestHash } from '../cases/idempotency';
import { asProblem } from '../cases/temporal-errors';
import { levelUnavailable } from '../policy-checks';
import { actorOf, CUSTOMER_SIDE } from '../principal';
import { invalid, unprocessable } from '../problem';
import { defineRoute } from '../route';
import { ACTION_BODIES, CaseRefParams, CaseSchema } from '../schemas/cases';
import type { Services } from '../services';
import { z } from '../zod';

const ENGINEERS: Role[] = ['engineer', 'manager'];
const MANAGERS: Role[] = ['manager'];
const STAFF: Role[] = ['engineer', 'manager', 'admin'];
const CUSTOMERS_AND_STAFF: Role[] = [...CUSTOMER_SIDE, 'engineer', 'manager'];

const RequestIdHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/)
    .optional()
    .openapi({
      description: 'request id: a retry with the same body has one effect and the same answer; the same key with another body is a 409',
    }),
});

type Bodies = typeof ACTION_BODIES;
interface ActionCtx {
  svc: Services;
  row: CaseRow;
  actor: Actor;
  requestId: string;
}

interface Action<K extends keyof Bodies> {
  key: K;
  path: string;
  summary: string;
  roles: Role[];
  /** Turns the body into the update's input (minus actor and request id), checking what needs the database. */
  input: (body: z.output<Bodies[K]>, ctx: ActionCtx) => Promise<object> | object;
  // Each action pairs its own input type with its update; the table erases that pairing.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  update: UpdateDefinition<CaseView, [any]>;
}

const action = <K extends keyof Bodies>(a: Action<K>) => a;

function severityInput(body: z.output<Bodies['severity']>, { row }: ActionCtx) {
  const scheme = ENTITLEMENTS[row.entitlement as EntitlementId].scheme;
  const value = scheme === 'priority' ? body.priority : body.severity;
  const misplaced = scheme === 'priority' ? 'severity' : 'priority';
  if (body[misplaced] !== undefined)
    throw unprocessable(misplaced, `this case uses ${scheme === 'priority' ? 'priorities P1-P4' : 'severities 1-4'}`);
  if (value === undefined) throw invalid([{ field: scheme, in: 'body', reason: 'required' }]);
  const level = (typeof value === 'string' ? Number(value.slice(1)) : value) as Level;
  const unavailable = levelUnavailable(row.entitlement as EntitlementId, level);
  if (unavailable) throw unprocessable(scheme, unavailable);
  return { level, reason: body.reason };
}

async function assignInput(body: z.output<Bodies['assignment']>, { svc }: ActionCtx) {
  const [owner] = await svc.db
    .select({ role: principals.role, homeRegion: principals.homeRegion })
    .from(principals)
    .where(and(eq(principals.id, body.ownerId), isNull(principals.disabledAt)));
  if (!owner || owner.role !== 'engineer') throw unprocessable('ownerId', 'not an active engineer');
  return { ownerId: body.ownerId, region: (body.region ?? owner.homeRegion ?? undefined) as SunRegion | undefined, note: body.note };
}

const ACTIONS = [
  action({
    key: 'severity',
    path: 'severity',
    summary: 'Change severity (or priority)',
    roles: CUSTOMERS_AND_STAFF,
    input: severityInput,
    update: changeSeverityUpdate,
  }),
  action({
    key: 'responses',
    path: 'responses',
    summary: 'Record an engineer response or update',
    roles: ENGINEERS,
    input: (b) => b,
    update: engineerResponseUpdate,
  }),
  action({
    key: 'informationRequests',
    path: 'information-requests',
    summary: 'Request information from the customer',
    roles: ENGINEERS,
    input: (b) => b,
    update: requestInfoUpdate,
  }),
  action({
    key: 'replies',
    path: 'replies',
    summary: 'Record a customer reply',
    roles: CUSTOMER_SIDE,
    input: (b) => b,
    update: customerReplyUpdate,
  }),
  action({
    key: 'managerRequests',
    path: 'manager-requests',
    summary: 'Ask to talk to a manager',
    roles: CUSTOMER_SIDE,
    input: (b) => b,
    update: talkToManagerUpdate,
  }),
  action({
    key: 'managerAcknowledgements',
    path: 'manager-acknowledgements',
    summary: 'Acknowledge a talk-to-a-manager request',
    roles: MANAGERS,
    input: (b) => b,
    update: managerAckUpdate,
  }),
  action({ key: 'resolution', path: 'resolution', summary: 'Resolve the case', roles: ENGINEERS, input: (b) => b, update: resolveUpdate }),
  action({
    key: 'confirmation',
    path: 'confirmation',
    summary: 'Confirm (or reject) the resolution',
    roles: CUSTOMER_SIDE,
    input: (b) => b,
    update: confirmResolutionUpdate,
  }),
  action({ key: 'close', path: 'close', summary: 'Close the case', roles: CUSTOMERS_AND_STAFF, input: (b) => b, update: closeCaseUpdate }),
  action({
    key: 'assignment',
    path: 'assignment',
    summary: 'Assign or hand off to an engineer',
    roles: ENGINEERS,
    input: assignInput,
    update: assignUpdate,
  }),
  action({
    key: 'pageAcknowledgement',
    path: 'page-acknowledgement',
    summary: 'Acknowledge the Severity 1 page',
    roles: STAFF,
    input: (b) => b,
    update: pageAckUpdate,
  }),
  action({
    key: 'rca',
    path: 'rca',
    summary: 'Record delivery of a root-cause analysis',
    roles: ENGINEERS,
    input: (b) => b,
    update: rcaDeliveredUpdate,
  }),
] as Action<keyof Bodies>[];

/**
 * The request id of an action: a fresh one, or the Idempotency-Key. A key is claimed per case with the hash
 * of (action, body): a retry with the same body goes on to the same workflow update id (one effect, the same
 * answer); the same key with another body or on another action of the case is a 409, as for creates.
 */
async function requestIdOf(svc: Services, principalId: string, row: CaseRow, header: string | undefined, action: string, body: unknown) {
  if (header === undefined) return randomUUID();
  if (!/^[\x21-\x7e]{1,255}$/.test(header))
    throw invalid([{ field: 'Idempotency-Key', in: 'header', reason: '1-255 visible ASCII characters' }]);
  await claimKey(svc.db, principalId, `case-action:${row.id}:${header}`, requestHash({ action, body }), row.id);
  return header;
}

export function registerCaseActionRoutes(svc: Services): void {
  const { api, db, temporal } = svc;

  for (const a of ACTIONS) {
    defineRoute(
      api,
      {
        method: 'post',
        path: `/cases/:id/${a.path}`,
        tag: 'Case actions',
        summary: a.summary,
        roles: a.roles,
        params: CaseRefParams,
        body: ACTION_BODIES[a.key] as z.ZodType,
        headers: RequestIdHeaders,
        response: { status: 200, description: "The case's new state", schema: CaseSchema },
        problems: [404, 409, 422],
      },
      async ({ params, body, principal, req }) => {
        const row = await loadCase(db, principal, params.id);
        const requestId = await requestIdOf(svc, principal.id, row, req.get('idempotency-key'), a.path, body);
        const ctx: ActionCtx = { svc, row, actor: actorOf(principal), requestId };
        const input = { ...(await a.input(body as never, ctx)), actor: ctx.actor, requestId: ctx.requestId };
        const handle = temporal.workflow.getHandle(row.workflowId);
        const view = await asProblem(
          svc.withDeadline(() => handle.executeUpdate(a.update, { args: [input], updateId: `${a.update.name}-${ctx.requestId}` })),
        );
        return { body: caseResource(row, view, 'workflow') };
      },
    );
  }

  defineRoute(
    api,
    {
      method: 'post',
      path: '/cases/:id/availability',
      tag: 'Case actions',
      summary: 'Say whether the customer has a technical resource available',
      description: 'Severity 1 on around-the-clock programs is worked around the clock only while one is. Accepted asynchronously.',
      roles: CUSTOMERS_AND_STAFF,
      params: CaseRefParams,
      body: ACTION_BODIES.availability,
      headers: RequestIdHeaders,
      response: { status: 202, description: 'Accepted', schema: z.object({ caseId: z.string(), available: z.boolean() }) },
      problems: [404, 409],
    },
    async ({ params, body, principal, req }) => {
      const row = await loadCase(db, principal, params.id);
      const requestId = await requestIdOf(svc, principal.id, row, req.get('idempotency-key'), 'availability', body);
      const input = { ...body, actor: actorOf(principal), requestId };
      await asProblem(svc.withDeadline(() => temporal.workflow.getHandle(row.workflowId).signal(customerAvailabilitySignal, input)));
      return { body: { caseId: row.id, available: body.available } };
    },
  );
}
