/**
 * Moving open cases to a published policy version (docs/policy.md, "Migrating open cases"). An administrator
 * selects open cases (organisations, programs, levels, opened range) and a version: POST starts the preview (a
 * durable run over exactly those cases: every running clock's old and new due instant and state, what
 * breaches at once, the totals), GET .../cases exports it as JSON (.../cases.csv as CSV), POST .../apply sends each previewed
 * case the migration (a durable batch: idempotent per case, resumable, refused for a case that changed since
 * the preview), cancel stops either. Both are runs like back-tests (policy_backtests rows, progress, cancel).
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { policyBacktests } from '../../db/schema';
import { backtestProgressQuery, MIGRATION_WORKFLOW_TYPE, migrationWorkflowId, type BacktestWorkflowInput } from '../../contract/backtest';
import { endRun } from '../../backtest/activities';
import { previewCsv, type PreviewRow } from '../../backtest/engine/migration';
import {
  isMigration,
  type ApplyCase,
  type ApplyRequest,
  type MigrationRequest,
  type PreviewRequest,
} from '../../backtest/migration-activities';
import { listVersions } from '../policy/versions-store';
import { conflict, notFound, unprocessable } from '../problem';
import { defineRoute } from '../route';
import { ENTITLEMENT_IDS } from '../schemas/admin';
import { IdSchema, IsoInstant } from '../schemas/common';
import type { Services } from '../services';
import { z } from '../zod';

const ADMIN = ['admin'] as const;
const READERS = ['manager', 'admin'] as const;

const StartBody = z
  .strictObject({
    toVersion: z.number().int().min(1).openapi({ description: 'a published version number' }),
    selection: z
      .strictObject({
        orgIds: z.array(IdSchema).max(100).optional(),
        programs: z.array(z.enum(ENTITLEMENT_IDS)).max(9).optional(),
        levels: z
          .array(z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]))
          .max(4)
          .optional()
          .openapi({ description: 'the level a case has now' }),
        openedFrom: IsoInstant.optional(),
        openedTo: IsoInstant.optional(),
      })
      .refine((r) => !r.openedFrom || !r.openedTo || Date.parse(r.openedFrom) <= Date.parse(r.openedTo), {
        message: 'openedTo is before openedFrom',
        path: ['openedTo'],
      })
      .default({})
      .openapi({ description: 'open cases only, always' }),
  })
  .openapi('StartPolicyMigration');

const Params = z.strictObject({ id: z.uuid() });

const MigrationSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['preview', 'apply']),
    status: z.enum(['running', 'completed', 'cancelled', 'failed']),
    requestedBy: z.string(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
    target: z.object({ version: z.number(), key: z.string() }),
    selection: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'a preview: the cases it covers' }),
    previewId: z.string().nullable().openapi({ description: 'an apply: the preview it applies' }),
    asOf: z.string().nullable(),
    progress: z.object({ total: z.number().nullable(), processed: z.number(), withoutInput: z.number() }),
    result: z.unknown().nullable().openapi({
      description:
        'once finished: a preview its totals (cases, clocks, earlier, later, unchanged, breachesAtOnce, refused); an apply its counts per outcome (migrated, stale, closed, refused, skipped, failed) and each case. The per-case rows: GET .../cases',
    }),
    error: z.string().nullable(),
  })
  .openapi('PolicyMigration');

const CasesSchema = z
  .object({ items: z.array(z.record(z.string(), z.unknown())), total: z.number() })
  .openapi('PolicyMigrationCases', { description: 'a preview: every case with its running clocks; an apply: each case and its outcome' });

const csvCell = (v: unknown) => {
  const t = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
};

function applyCsv(cases: readonly ApplyCase[]): string {
  const lines = [
    'caseId,outcome,reason,firstResponseDueAt',
    ...cases.map((c) => [c.caseId, c.outcome, c.reason, c.firstResponseDueAt].map(csvCell).join(',')),
  ];
  return lines.join('\r\n') + '\r\n';
}

export function registerMigrationRoutes({ api, db, temporal, taskQueue, withDeadline }: Services): void {
  async function load(id: string) {
    const [row] = await db.select().from(policyBacktests).where(eq(policyBacktests.id, id));
    if (!row || !isMigration(row.request)) throw notFound('policy migration');
    return { row, req: row.request as MigrationRequest };
  }

  async function view(id: string) {
    const { row, req } = await load(id);
    let progress = { total: row.total, processed: row.processed, withoutInput: row.withoutInput };
    if (row.status === 'running') {
      const live = await withDeadline(() => temporal.workflow.getHandle(migrationWorkflowId(id)).query(backtestProgressQuery)).catch(
        () => null,
      );
      if (live) progress = { total: live.total, processed: live.processed, withoutInput: live.withoutInput };
    }
    const result = row.result as Record<string, unknown> | null;
    const summary = result ? Object.fromEntries(Object.entries(result).filter(([k]) => k !== 'rows' && k !== 'cases')) : null;
    return {
      id: row.id,
      kind: req.kind === 'migration-preview' ? ('preview' as const) : ('apply' as const),
      status: row.status as 'running',
      requestedBy: row.requestedBy,
      createdAt: row.createdAt.toISOString(),
      finishedAt: row.finishedAt?.toISOString() ?? null,
      target: { version: req.target.version, key: req.target.key },
      selection: req.kind === 'migration-preview' ? (req.selection as Record<string, unknown>) : null,
      previewId: req.kind === 'migration-apply' ? req.previewId : null,
      asOf: req.kind === 'migration-preview' ? req.asOf : null,
      progress,
      result: summary,
      error: row.error,
    };
  }

  async function start(id: string, requestedBy: string, request: MigrationRequest) {
    await db.insert(policyBacktests).values({ id, requestedBy, request, status: 'running' });
    const input: BacktestWorkflowInput = { id };
    await withDeadline(() =>
      temporal.workflow.start(MIGRATION_WORKFLOW_TYPE, { workflowId: migrationWorkflowId(id), taskQueue, args: [input] }),
    );
    return { status: 202, body: await view(id), headers: { Location: `/v1/policy/migrations/${id}` } };
  }

  const location = {
    Location: { description: 'The run: /v1/policy/migrations/{id}', schema: { type: 'string' as const }, required: true },
  };

  defineRoute(
    api,
    {
      method: 'post',
      path: '/policy/migrations',
      tag: 'Policy',
      summary: 'Preview moving open cases to a published version',
      description:
        "Previews the migration of the selected open cases (always open only) to the version: each case's trail replayed to now and the migration applied to it, listing every running clock's old and new due instant and state, what breaches at once, and the totals. Runs as a durable workflow; poll GET /v1/policy/migrations/{id}, export GET .../cases or .../cases.csv, then POST .../apply.",
      roles: [...ADMIN],
      body: StartBody,
      response: { status: 202, description: 'Started', schema: MigrationSchema, headers: location },
      problems: [422],
    },
    async ({ body, principal }) => {
      const version = (await listVersions(db)).find((v) => v.version === body.toVersion);
      if (!version) throw unprocessable('toVersion', 'no such version');
      const request: PreviewRequest = {
        kind: 'migration-preview',
        target: { version: version.version, key: version.key, document: version.document },
        selection: { ...body.selection, openOnly: true },
        asOf: new Date().toISOString(),
      };
      return start(randomUUID(), principal.id, request);
    },
  );

  defineRoute(
    api,
    {
      method: 'get',
      path: '/policy/migrations/:id',
      tag: 'Policy',
      summary: 'Get a policy migration (preview or apply)',
      roles: [...READERS],
      params: Params,
      response: { status: 200, description: 'Progress, and its totals once finished', schema: MigrationSchema },
      problems: [404],
    },
    async ({ params }) => ({ body: await view(params.id) }),
  );

  /** A finished run's rows, or 409 while it runs. */
  async function finished(id: string) {
    const { row, req } = await load(id);
    if (row.status === 'running' || !row.result)
      throw conflict(`the ${req.kind === 'migration-preview' ? 'preview' : 'apply'} is ${row.status}`);
    const result = row.result as { rows?: PreviewRow[]; cases?: ApplyCase[] };
    return { req, rows: result.rows ?? [], cases: result.cases ?? [] };
  }

  defineRoute(
    api,
    {
      method: 'get',
      path: '/policy/migrations/:id/cases',
      tag: 'Policy',
      summary: "A policy migration's cases (JSON)",
      description:
        'A finished preview: every case with each running clock (old and new due instant and state, targets, elapsed coverage time, breachesAtOnce), or why it refuses. An apply: each case and its outcome. The same as CSV: .../cases.csv.',
      roles: [...READERS],
      params: Params,
      response: { status: 200, description: 'The cases', schema: CasesSchema },
      problems: [404, 409],
    },
    async ({ params }) => {
      const { req, rows, cases } = await finished(params.id);
      const items = (req.kind === 'migration-preview' ? rows : cases) as unknown as Array<Record<string, unknown>>;
      return { body: { items, total: items.length } };
    },
  );

  defineRoute(
    api,
    {
      method: 'get',
      path: '/policy/migrations/:id/cases.csv',
      tag: 'Policy',
      summary: "A policy migration's cases (CSV)",
      description:
        'A preview: one line per running clock (a case without one, or refused, one line with the clock columns empty). An apply: one line per case.',
      roles: [...READERS],
      params: Params,
      response: { status: 200, description: 'text/csv' },
      problems: [404, 409],
    },
    async ({ params, res }) => {
      const { req, rows, cases } = await finished(params.id);
      res
        .status(200)
        .type('text/csv; charset=utf-8')
        .set('Content-Disposition', `attachment; filename="policy-migration-${params.id}.csv"`)
        .send(req.kind === 'migration-preview' ? previewCsv(rows) : applyCsv(cases));
      return { status: 200 };
    },
  );
  // Declared as text/csv (defineRoute declares JSON bodies only).
  const csvRoute = api.registry.definitions.at(-1);
  if (csvRoute?.type === 'route') {
    const ok = csvRoute.route.responses[200] as { content?: unknown };
    ok.content = { 'text/csv': {} }; // one header line, then one line per clock (preview) or per case (apply)
  }

  defineRoute(
    api,
    {
      method: 'post',
      path: '/policy/migrations/:id/apply',
      tag: 'Policy',
      summary: 'Apply a completed preview',
      description:
        'Sends every previewed case the migration, 8 at a time, as a durable run: a retried batch or a restart migrates nobody twice (one request id per run and case), a case that changed since the preview is left alone (outcome stale: preview again), a closed one too. Poll GET /v1/policy/migrations/{id} of the answer.',
      roles: [...ADMIN],
      params: Params,
      response: { status: 202, description: 'Started', schema: MigrationSchema, headers: location },
      problems: [404, 409],
    },
    async ({ params, principal }) => {
      const { row, req } = await load(params.id);
      if (req.kind !== 'migration-preview') throw conflict('only a preview can be applied');
      if (row.status !== 'completed') throw conflict(`the preview is ${row.status}: only a completed preview can be applied`);
      const request: ApplyRequest = { kind: 'migration-apply', previewId: row.id, target: req.target };
      return start(randomUUID(), principal.id, request);
    },
  );

  defineRoute(
    api,
    {
      method: 'post',
      path: '/policy/migrations/:id/cancel',
      tag: 'Policy',
      summary: 'Cancel a policy migration run',
      description:
        'Stops a preview or an apply after the batch in progress. A preview keeps the cases previewed so far; an apply is never undone: its result lists every case it sent, including those of the batch that was in flight.',
      roles: [...ADMIN],
      params: Params,
      response: { status: 202, description: 'Cancelled', schema: MigrationSchema },
      problems: [404, 409],
    },
    async ({ params }) => {
      await load(params.id);
      const { status, ended } = await endRun(db, params.id, 'cancelled');
      if (!ended) throw conflict(`the run is ${status}`);
      try {
        await withDeadline(() => temporal.workflow.getHandle(migrationWorkflowId(params.id)).cancel());
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
      return { status: 202, body: await view(params.id) };
    },
  );
}
