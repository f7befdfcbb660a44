/**
 * Back-tests: what a candidate policy would have done to recorded cases. POST starts a durable back-test
 * workflow and answers 202 with its id; GET polls progress and, once finished, the kept report; cancel
 * stops it (the partial report stays). Managers and administrators.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { applyPatch, diffPolicy, policyProblems, type DeepPartial, type PolicyDocument } from '../../policy';
import { policyBacktests } from '../../db/schema';
import { BACKTEST_WORKFLOW_TYPE, backtestWorkflowId, backtestProgressQuery, type BacktestWorkflowInput } from '../../contract/backtest';
import { endRun, type BacktestRequest } from '../../backtest/activities';
import { listVersions, versionAt } from '../policy/versions-store';
import { registerMigrationRoutes } from './policy-migrations';
import { invalid, notFound, conflict, unprocessable } from '../problem';
import { defineRoute } from '../route';
import { ENTITLEMENT_IDS } from '../schemas/admin';
import { IdSchema, IsoInstant, LocalDate } from '../schemas/common';
import { PolicyDocumentSchema, PolicyPatchSchema } from '../schemas/policy-versions';
import type { Services } from '../services';
import { z } from '../zod';

const ROLES = ['manager', 'admin'] as const;
const PROGRAMS = ENTITLEMENT_IDS;

const StartBody = z
  .strictObject({
    candidate: z
      .strictObject({
        document: PolicyDocumentSchema.optional(),
        patch: PolicyPatchSchema.optional().openapi({ description: 'changes to baseVersion (default: the version in force)' }),
        baseVersion: z.number().int().min(1).optional().openapi({
          description: 'the published version a patch applies to and the report compares with (default: the version in force)',
        }),
        version: z.number().int().min(1).optional().openapi({ description: 'a published version' }),
        closedDates: z.array(LocalDate).max(366).optional().openapi({
          description:
            "closed dates (local YYYY-MM-DD) added to every case's coverage and business calendars, on top of the holidays each case pinned",
        }),
      })
      .refine((c) => [c.document, c.patch, c.version].filter((x) => x !== undefined).length === 1, {
        message: 'send exactly one of document, patch or version',
      })
      .refine((c) => c.baseVersion === undefined || c.patch !== undefined, {
        message: 'baseVersion goes with a patch',
        path: ['baseVersion'],
      }),
    range: z
      .strictObject({
        openedFrom: IsoInstant.optional(),
        openedTo: IsoInstant.optional(),
        orgIds: z.array(IdSchema).max(100).optional(),
        programs: z.array(z.enum(PROGRAMS)).max(9).optional(),
      })
      .refine((r) => !r.openedFrom || !r.openedTo || Date.parse(r.openedFrom) <= Date.parse(r.openedTo), {
        message: 'openedTo is before openedFrom',
        path: ['openedTo'],
      })
      .default({}),
  })
  .openapi('StartBacktest');

const Params = z.strictObject({ id: z.uuid() });

const BacktestSchema = z
  .object({
    id: z.string(),
    status: z.enum(['running', 'completed', 'cancelled', 'failed']),
    requestedBy: z.string(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
    asOf: z.string(),
    range: z.record(z.string(), z.unknown()),
    baseVersion: z.number(),
    changes: z
      .array(z.object({ path: z.string(), from: z.unknown(), to: z.unknown() }))
      .openapi({ description: 'candidate vs the base version' }),
    progress: z.object({ total: z.number().nullable(), processed: z.number(), withoutInput: z.number() }),
    result: z.unknown().nullable().openapi({ description: 'the report, once completed' }),
    error: z.string().nullable(),
  })
  .openapi('Backtest');

export function registerBacktestRoutes(services: Services): void {
  registerBacktestRunRoutes(services);
  registerMigrationRoutes(services); // policy-migrations.ts: runs of the same machinery
}

function registerBacktestRunRoutes({ api, db, temporal, taskQueue, withDeadline }: Services): void {
  async function view(id: string) {
    const [row] = await db.select().from(policyBacktests).where(eq(policyBacktests.id, id));
    if (!row) throw notFound('back-test');
    const req = row.request as BacktestRequest;
    const base = (await listVersions(db)).find((v) => v.version === req.baseVersion);
    let progress = { total: row.total, processed: row.processed, withoutInput: row.withoutInput };
    if (row.status === 'running') {
      // The workflow's own view is the freshest; the row is the fallback when it does not answer.
      const live = await withDeadline(() => temporal.workflow.getHandle(backtestWorkflowId(id)).query(backtestProgressQuery)).catch(
        () => null,
      );
      if (live) progress = { total: live.total, processed: live.processed, withoutInput: live.withoutInput };
    }
    return {
      id: row.id,
      status: row.status as 'running',
      requestedBy: row.requestedBy,
      createdAt: row.createdAt.toISOString(),
      finishedAt: row.finishedAt?.toISOString() ?? null,
      asOf: req.asOf,
      range: req.range as Record<string, unknown>,
      baseVersion: req.baseVersion,
      changes: base ? diffPolicy(base.document, req.candidate.document) : [],
      progress,
      result: row.result ?? null,
      error: row.error,
    };
  }

  defineRoute(
    api,
    {
      method: 'post',
      path: '/policy/backtests',
      tag: 'Policy',
      summary: 'Start a back-test',
      description:
        'Replays every recorded case in range under its recorded policy and under the candidate (a full document, a patch on the version in force, or a published version) and reports the difference. Runs as a durable workflow; poll GET /v1/policy/backtests/{id}.',
      roles: [...ROLES],
      body: StartBody,
      response: {
        status: 202,
        description: 'Started',
        schema: BacktestSchema,
        headers: { Location: { description: 'The back-test: /v1/policy/backtests/{id}', schema: { type: 'string' }, required: true } },
      },
      problems: [422],
    },
    async ({ body, principal }) => {
      const now = new Date();
      let base = await versionAt(db, now);
      if (body.candidate.baseVersion !== undefined) {
        const chosen = (await listVersions(db)).find((v) => v.version === body.candidate.baseVersion);
        if (!chosen) throw unprocessable('candidate.baseVersion', 'no such version');
        base = chosen;
      }
      let document: PolicyDocument;
      if (body.candidate.document) document = body.candidate.document as PolicyDocument;
      else if (body.candidate.patch) document = applyPatch(base.document, body.candidate.patch as DeepPartial<PolicyDocument>);
      else {
        const published = (await listVersions(db)).find((v) => v.version === body.candidate.version);
        // Well-formed but naming nothing: 422 as documented (400 is for a malformed body).
        if (!published) throw unprocessable('candidate.version', 'no such version');
        document = published.document;
      }
      const problems = policyProblems(document);
      // Named where the caller wrote it: candidate.patch.programs... or candidate.document.programs...
      const sent = body.candidate.patch ? 'patch' : 'document';
      if (problems.length > 0)
        throw invalid(problems.map((p) => ({ field: `candidate.${sent}.${p.field}`, in: 'body' as const, reason: p.reason })));
      const id = randomUUID();
      const request: BacktestRequest = {
        candidate: {
          key: `candidate-${id.slice(0, 8)}`,
          document,
          ...(body.candidate.closedDates?.length ? { closedDates: [...new Set(body.candidate.closedDates)].sort() } : {}),
        },
        baseVersion: base.version,
        range: body.range,
        asOf: now.toISOString(),
      };
      await db.insert(policyBacktests).values({ id, requestedBy: principal.id, request, status: 'running' });
      const input: BacktestWorkflowInput = { id };
      await withDeadline(() =>
        temporal.workflow.start(BACKTEST_WORKFLOW_TYPE, { workflowId: backtestWorkflowId(id), taskQueue, args: [input] }),
      );
      return { status: 202, body: await view(id), headers: { Location: `/v1/policy/backtests/${id}` } };
    },
  );

  defineRoute(
    api,
    {
      method: 'get',
      path: '/policy/backtests/:id',
      tag: 'Policy',
      summary: 'Get a back-test',
      roles: [...ROLES],
      params: Params,
      response: { status: 200, description: 'Progress, and the report once completed', schema: BacktestSchema },
      problems: [404],
    },
    async ({ params }) => ({ body: await view(params.id) }),
  );

  defineRoute(
    api,
    {
      method: 'post',
      path: '/policy/backtests/:id/cancel',
      tag: 'Policy',
      summary: 'Cancel a back-test',
      roles: [...ROLES],
      params: Params,
      response: {
        status: 202,
        description:
          'Cancelled: the run stops after the batch in progress, which is not counted; the report of the batches done so far is kept as its result',
        schema: BacktestSchema,
      },
      problems: [404, 409],
    },
    async ({ params }) => {
      const [row] = await db.select({ id: policyBacktests.id }).from(policyBacktests).where(eq(policyBacktests.id, params.id));
      if (!row) throw notFound('back-test');
      // The row decides, under its lock: a run that completed first answers 409 and keeps its report; once
      // marked cancelled here no batch merges any more and the run never completes.
      const { status, ended } = await endRun(db, params.id, 'cancelled');
      if (!ended) throw conflict(`the back-test is ${status}`);
      try {
        await withDeadline(() => temporal.workflow.getHandle(backtestWorkflowId(params.id)).cancel());
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
      return { status: 202, body: await view(params.id) };
    },
  );
}
