/**
 * Case actions as POST sub-resources. Each becomes one workflow update (or, for customer availability, a
 * signal) carrying the actor and a request id; the workflow decides whether the action fits the case's
 * state and answers with its new view. An Idempotency-Key header doubles as the request id, so a retried
 * action has one effect.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { ENTITLEMENTS } from '../../policy';
import type { EntitlementId, Level } from '../../policy/types';
import { caseInputs, principals } from '../../db/schema';
import { migrationArgs } from '../../backtest/engine/migration';
import { listVersions } from '../policy/versions-store';
import type { SunRegion } from '../../policy/types';
import type { Actor, CaseWorkflowInput } from '../../contract/case';
import { CASE_COMMANDS, type CommandName } from '../../contract/commands';
import { caseResource, type CaseRow } from '../cases/case-resource';
import { identityOf } from '../attachments/attachments';
import { loadCase } from '../cases/load-case';
import { claimKey, requestHash } from '../cases/idempotency';
import { asProblem } from '../cases/temporal-errors';
import { levelUnavailable, pinnedPolicyOf } from '../policy-checks';
import { actorOf } from '../principal';
import { invalid, unprocessable } from '../problem';
import { defineRoute } from '../route';
import { ACTION_BODIES, CaseRefParams, CaseSchema } from '../schemas/cases';
import type { Services } from '../services';
import { z } from '../zod';

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

/** The route of a command: where it is posted and how its body becomes the command's input. */
interface Action<N extends CommandName> {
  path: string;
  summary: string;
  description?: string;
  /** Turns the body into the command's input (minus actor and request id), checking what needs the database. */
  input: (body: z.output<Bodies[N]>, ctx: ActionCtx) => Promise<object> | object;
  /** Commands that carry files (body attachmentIds): the event they are linked to once the workflow accepts. */
  linksAttachments?: 'customer_reply' | 'internal_note';
}

/** attachmentIds -> the files' identities (finished uploads of the caller on this case; 422 otherwise). */
async function attachmentsInput(body: { attachmentIds?: string[] }, { svc, row, actor, requestId }: ActionCtx) {
  const { attachmentIds, ...rest } = body;
  const files = await svc.attachments.forLink(row.id, actor.id, attachmentIds ?? [], requestId);
  return files.length > 0 ? { ...rest, attachments: files.map(identityOf) } : rest;
}

async function severityInput(body: z.output<Bodies['changeSeverity']>, { row, svc }: ActionCtx) {
  const scheme = ENTITLEMENTS[row.entitlement as EntitlementId].scheme;
  const value = scheme === 'priority' ? body.priority : body.severity;
  const misplaced = scheme === 'priority' ? 'severity' : 'priority';
  if (body[misplaced] !== undefined)
    throw unprocessable(misplaced, `this case uses ${scheme === 'priority' ? 'priorities P1-P4' : 'severities 1-4'}`);
  if (value === undefined) throw invalid([{ field: scheme, in: 'body', reason: 'required' }]);
  const level = (typeof value === 'string' ? Number(value.slice(1)) : value) as Level;
  const unavailable = levelUnavailable(row.entitlement as EntitlementId, level, await pinnedPolicyOf(svc.db, row.id));
  if (unavailable) throw unprocessable(scheme, unavailable);
  return { level, reason: body.reason };
}

async function assignInput(body: z.output<Bodies['assign']>, { svc }: ActionCtx) {
  const [owner] = await svc.db
    .select({ role: principals.role, homeRegion: principals.homeRegion })
    .from(principals)
    .where(and(eq(principals.id, body.ownerId), isNull(principals.disabledAt)));
  if (!owner || owner.role !== 'engineer') throw unprocessable('ownerId', 'not an active engineer');
  return { ownerId: body.ownerId, region: (body.region ?? owner.homeRegion ?? undefined) as SunRegion | undefined, note: body.note };
}

const same = <B>(b: B) => b as object;

/** The version's targets and coverage for this case, from its kept input (docs/policy.md, "Migrating open cases"). */
async function migrateInput(body: z.output<Bodies['migratePolicy']>, { svc, row }: ActionCtx) {
  const version = (await listVersions(svc.db)).find((v) => v.version === body.toVersion);
  if (!version) throw unprocessable('toVersion', 'no such version');
  const [kept] = await svc.db.select({ input: caseInputs.input }).from(caseInputs).where(eq(caseInputs.caseId, row.id));
  if (!kept) throw unprocessable('toVersion', 'the case was opened before inputs were kept and cannot be migrated');
  return {
    ...migrationArgs(kept.input as CaseWorkflowInput, version),
    ...(body.expectedStateVersion !== undefined ? { expectedStateVersion: body.expectedStateVersion } : {}),
  };
}

/** Every command of contract/commands.ts has its route (the compiler refuses one without). */
const ACTIONS: { [N in CommandName]: Action<N> } = {
  changeSeverity: { path: 'severity', summary: 'Change severity (or priority)', input: severityInput },
  engineerResponse: {
    path: 'responses',
    summary: 'Answer the customer: a public response or update',
    description:
      "Mailed to the customer side in the case's language, threaded, with the case's reply address. For staff-only text use internal-notes.",
    input: same,
  },
  internalNote: {
    path: 'internal-notes',
    summary: 'Add an internal note (staff only)',
    description:
      'Never shown to the customer side: not in the case resource, its events, the live stream, mail or reports. attachmentIds attach finished uploads, as internal as the note.',
    input: attachmentsInput,
    linksAttachments: 'internal_note',
  },
  requestInfo: { path: 'information-requests', summary: 'Request information from the customer', input: same },
  customerReply: {
    path: 'replies',
    summary: 'Record a customer reply',
    description: 'attachmentIds attach finished uploads (POST /v1/cases/{id}/uploads) to the reply.',
    input: attachmentsInput,
    linksAttachments: 'customer_reply',
  },
  talkToManager: { path: 'manager-requests', summary: 'Ask to talk to a manager', input: same },
  managerAck: { path: 'manager-acknowledgements', summary: 'Acknowledge a talk-to-a-manager request', input: same },
  resolve: { path: 'resolution', summary: 'Resolve the case', input: same },
  confirmResolution: { path: 'confirmation', summary: 'Confirm (or reject) the resolution', input: same },
  closeCase: { path: 'close', summary: 'Close the case', input: same },
  assign: { path: 'assignment', summary: 'Assign or hand off to an engineer', input: assignInput },
  pageAck: { path: 'page-acknowledgement', summary: 'Acknowledge the Severity 1 page', input: same },
  rcaDelivered: { path: 'rca', summary: 'Record delivery of a root-cause analysis', input: same },
  migratePolicy: {
    path: 'policy-migration',
    summary: 'Move the case to another published policy version (administrators)',
    description:
      'Re-targets its running clocks under the version (elapsed coverage time kept, the new target from the clock start; a clock past it breaches now), records both versions and every due instant in its history and tells the owner of a due time moved earlier. Closed cases are refused. For many cases at once: POST /v1/policy/migrations.',
    input: migrateInput,
  },
  customerAvailability: {
    path: 'availability',
    summary: 'Say whether the customer has a technical resource available',
    description: 'Severity 1 on around-the-clock programs is worked around the clock only while one is. Accepted asynchronously.',
    input: same,
  },
};

/** The path of each command's route, for the resource's `actions` (and the docs). */
export const ACTION_PATHS: { [N in CommandName]: string } = Object.fromEntries(
  Object.entries(ACTIONS).map(([name, a]) => [name, a.path]),
) as { [N in CommandName]: string };

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
  for (const name of Object.keys(ACTIONS) as CommandName[]) registerAction(svc, name);
}

function registerAction<N extends CommandName>(svc: Services, name: N): void {
  const { api, db, temporal } = svc;
  const a = ACTIONS[name] as Action<N>;
  const spec = CASE_COMMANDS[name];
  const signal = spec.message.kind === 'signal';
  defineRoute(
    api,
    {
      method: 'post',
      path: `/cases/:id/${a.path}`,
      tag: 'Case actions',
      summary: a.summary,
      ...(a.description ? { description: a.description } : {}),
      roles: spec.roles,
      params: CaseRefParams,
      body: ACTION_BODIES[name] as z.ZodType,
      headers: RequestIdHeaders,
      response: signal
        ? { status: 202, description: 'Accepted', schema: z.object({ caseId: z.string(), available: z.boolean() }) }
        : { status: 200, description: "The case's new state", schema: CaseSchema },
      problems: signal ? [404, 409] : [404, 409, 422],
    },
    async ({ params, body, principal, req }) => {
      const row = await loadCase(db, principal, params.id);
      const requestId = await requestIdOf(svc, principal.id, row, req.get('idempotency-key'), a.path, body);
      const ctx: ActionCtx = { svc, row, actor: actorOf(principal), requestId };
      const input = { ...(await a.input(body as never, ctx)), actor: ctx.actor, requestId: ctx.requestId };
      const handle = temporal.workflow.getHandle(row.workflowId);
      if (spec.message.kind === 'signal') {
        const def = spec.message.def;
        await asProblem(svc.withDeadline(() => handle.signal(def, input as never)));
        return { status: 202, body: { caseId: row.id, available: (body as { available: boolean }).available } };
      }
      const def = spec.message.def;
      const view = await asProblem(
        svc.withDeadline(() => handle.executeUpdate(def, { args: [input as never], updateId: `${def.name}-${ctx.requestId}` })),
      );
      const files = (input as { attachments?: { id?: string }[] }).attachments;
      if (a.linksAttachments && files)
        await svc.attachments.markLinked(
          files.map((f) => f.id!),
          ctx.requestId,
          a.linksAttachments,
        );
      return { body: caseResource(row, view, 'workflow', principal.role) };
    },
  );
}
