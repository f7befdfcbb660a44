/** Opening, listing and reading cases, and each case's SLA clocks. */
import { and, asc, desc, eq, gt, inArray, lt, or, type SQL } from 'drizzle-orm';
import { ENTITLEMENTS } from '../../policy';
import type { EntitlementId } from '../../policy/types';
import { caseEvents, cases } from '../../db/schema';
import { audienceOf, visibleTo } from '../../contract/audit-events';
import type { CaseView, ClockView } from '../../contract/case';
import { caseDetail, caseSummary, levelFields } from '../cases/case-resource';
import { liveView, loadCase } from '../cases/load-case';
import { policyMigrationsOf } from '../cases/policy-migrations-of';
import { openCase } from '../cases/open-case';
import { CASE_OPENERS, STAFF_ROLES, visibleOrgIds } from '../principal';
import { decodeCursor, encodeCursor } from '../cursor';
import { invalid } from '../problem';
import { defineRoute } from '../route';
import {
  CaseDetailSchema,
  CaseListSchema,
  CaseRefParams,
  CaseSchema,
  CreateCaseBody,
  IdempotencyHeaders,
  ListCasesQuery,
  SlaSchema,
} from '../schemas/cases';
import { InputInstant, PageQuery } from '../schemas/common';
import type { Services } from '../services';
import { z } from '../zod';

const READERS = [...CASE_OPENERS, ...STAFF_ROLES];
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** Newest first by (openedAt, id): the last row of a page, as issued by this API. */
const CaseCursor = z.tuple([InputInstant, z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)]);

export function registerCaseRoutes(svc: Services): void {
  const { api, db, temporal } = svc;

  defineRoute(
    api,
    {
      method: 'post',
      path: '/cases',
      tag: 'Cases',
      summary: 'Open a case',
      description:
        'Case and license administrators open cases for their organisation; support partners for organisations they are ' +
        "linked to. The Support ID must match the organisation's. Answers once the case workflow has recorded the case, " +
        'with its SLA due times. With an Idempotency-Key, retries (even concurrent ones) give the same case; the same key ' +
        'with a different body is a 409.',
      roles: CASE_OPENERS,
      body: CreateCaseBody,
      headers: IdempotencyHeaders,
      response: {
        status: 201,
        description: 'The case, with sla.firstResponse',
        schema: CaseSchema,
        headers: {
          Location: { description: 'The new case: /v1/cases/{id}', schema: { type: 'string' }, required: true },
          'Idempotent-Replayed': {
            description: 'true when this answer replays the stored answer to an earlier request with the same Idempotency-Key',
            schema: { type: 'string', enum: ['true'] },
          },
        },
      },
      problems: [404, 409, 422],
    },
    async ({ body, principal, req }) => {
      const key = req.get('idempotency-key');
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
        throw invalid([{ field: 'Idempotency-Key', in: 'header', reason: '1-255 visible ASCII characters' }]);
      }
      const result = await openCase(svc, principal, body, key);
      return {
        status: 201,
        body: result.body,
        headers: { Location: `/v1/cases/${result.body.id}`, ...(result.replayed ? { 'Idempotent-Replayed': 'true' } : {}) },
      };
    },
  );

  defineRoute(
    api,
    {
      method: 'get',
      path: '/cases',
      tag: 'Cases',
      summary: 'List cases',
      description: 'Newest first, from the read model. Customers see their organisation, partners their linked ones, staff all.',
      roles: READERS,
      query: ListCasesQuery,
      response: { status: 200, description: 'One page of cases', schema: CaseListSchema },
    },
    async ({ query, principal }) => {
      const visible = visibleOrgIds(principal);
      const orgs = query.orgId ? (visible === null || visible.includes(query.orgId) ? [query.orgId] : []) : visible;
      if (orgs && orgs.length === 0) return { body: { items: [], nextCursor: null } };
      const conditions: (SQL | undefined)[] = [
        orgs ? inArray(cases.orgId, orgs) : undefined,
        query.status ? eq(cases.status, query.status) : undefined,
        query.severity ? eq(cases.level, query.severity) : undefined,
        query.slaState ? eq(cases.slaState, query.slaState) : undefined,
        query.type ? eq(cases.type, query.type) : undefined,
      ];
      if (query.cursor) {
        const [at, id] = decodeCursor(CaseCursor, query.cursor);
        const openedAt = new Date(at);
        conditions.push(or(lt(cases.openedAt, openedAt), and(eq(cases.openedAt, openedAt), lt(cases.id, id))));
      }
      const rows = await db
        .select()
        .from(cases)
        .where(and(...conditions))
        .orderBy(desc(cases.openedAt), desc(cases.id))
        .limit(query.limit + 1);
      const page = rows.slice(0, query.limit);
      return {
        body: {
          items: page.map(caseSummary),
          nextCursor: rows.length > query.limit ? caseCursor(page[page.length - 1]) : null,
        },
      };
    },
  );

  defineRoute(
    api,
    {
      method: 'get',
      path: '/cases/:id',
      tag: 'Cases',
      summary: 'Read a case',
      description: "The read model plus the workflow's live state (history, contact attempts, escalation).",
      roles: READERS,
      params: CaseRefParams,
      response: { status: 200, description: 'The case', schema: CaseDetailSchema },
      problems: [404],
    },
    async ({ params, principal }) => {
      const row = await loadCase(db, principal, params.id);
      const [{ view, source }, migrations] = await Promise.all([liveView(temporal, row), policyMigrationsOf(db, row.id)]);
      return { body: caseDetail(row, view, source, principal.role, migrations) };
    },
  );

  defineRoute(
    api,
    {
      method: 'get',
      path: '/cases/:id/events',
      tag: 'Cases',
      summary: "A case's audit trail",
      description: 'The append-only event log the workflow writes (oldest first): who did what, when, with old and new due times.',
      roles: READERS,
      params: CaseRefParams,
      query: z.strictObject({
        after: z.coerce.number().int().min(0).optional().openapi({ description: 'nextCursor of the previous page' }),
        limit: PageQuery.limit,
      }),
      response: { status: 200, description: 'Events', schema: EventListSchema },
      problems: [404],
    },
    async ({ params, query, principal }) => {
      const row = await loadCase(db, principal, params.id);
      const events = await db
        .select()
        .from(caseEvents)
        .where(and(eq(caseEvents.caseId, row.id), query.after === undefined ? undefined : gt(caseEvents.id, query.after)))
        .orderBy(asc(caseEvents.id))
        .limit(query.limit + 1);
      const page = events.slice(0, query.limit);
      // The cursor follows the stored rows; the page holds what the caller may see of them (internal events are staff only).
      const shown = visibleTo(
        page.map((e) => ({ ...e, data: e.data as Record<string, unknown> })),
        audienceOf(principal.role),
      );
      return {
        body: {
          items: shown.map((e) => ({
            id: e.id,
            type: e.type,
            actorId: e.actorId,
            data: e.data,
            occurredAt: e.occurredAt.toISOString(),
            recordedAt: e.recordedAt.toISOString(),
          })),
          nextCursor: events.length > query.limit ? String(page[page.length - 1].id) : null,
        },
      };
    },
  );

  defineRoute(
    api,
    {
      method: 'get',
      path: '/cases/:id/sla',
      tag: 'Cases',
      summary: "A case's SLA clocks, each with its explanation",
      roles: READERS,
      params: CaseRefParams,
      response: { status: 200, description: 'Clocks', schema: SlaSchema },
      problems: [404],
    },
    async ({ params, principal }) => {
      const row = await loadCase(db, principal, params.id);
      const { view, source } = await liveView(temporal, row);
      return { body: slaResource(row.id, view, source) };
    },
  );
}

const caseCursor = (row: { openedAt: Date; id: string }) => encodeCursor([row.openedAt.toISOString(), row.id]);

const EventListSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.number().int(),
        type: z.string(),
        actorId: z.string(),
        data: z.record(z.string(), z.unknown()),
        occurredAt: z.string(),
        recordedAt: z.string(),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .openapi('CaseEventList');

function slaResource(caseId: string, view: CaseView, source: 'workflow' | 'read_model') {
  const clocks: ClockView[] = Object.values(view.clocks);
  return {
    caseId,
    program: view.entitlement,
    levelLabel: levelFields(view.entitlement, view.level).levelLabel,
    slaState: view.slaState,
    coverage: ENTITLEMENTS[view.entitlement as EntitlementId].coverage,
    clocks,
    source,
  };
}
