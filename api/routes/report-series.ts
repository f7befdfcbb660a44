/**
 * The SLA report over time and its drill-down, for the managers' charts: per day (UTC) of first-response
 * clock start, cases in the same five outcomes as GET /v1/reports/sla (sla-outcome.ts) and p50/p90 first
 * response over the answered ones; and the cases behind one report cell.
 */
import { and, asc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { cases, slaClocks } from '../../db/schema';
import { STAFF_ROLES } from '../principal';
import { invalid } from '../problem';
import { defineRoute } from '../route';
import { ENTITLEMENT_IDS } from '../schemas/admin';
import { IsoInstant } from '../schemas/common';
import type { Services } from '../services';
import { z } from '../zod';
import { countOutcome, isOutcome, outcomeOf, reportLevel, responsePercentile, SLA_OUTCOMES, type SlaOutcome } from './sla-outcome';

const MAX_PERIOD_DAYS = 400;

const PeriodQuery = {
  from: IsoInstant.openapi({ description: 'start of the period (inclusive), by first-response clock start' }),
  to: IsoInstant.openapi({ description: 'end of the period (exclusive)' }),
  program: z.enum(ENTITLEMENT_IDS).optional(),
  severity: z.coerce.number().int().min(1).max(4).optional().openapi({ description: 'the level the first-response clock ended at' }),
};

function period(query: { from: string; to: string }): { from: Date; to: Date } {
  const from = new Date(query.from);
  const to = new Date(query.to);
  if (to <= from) throw invalid([{ field: 'to', in: 'query', reason: 'must be after from' }]);
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * 86_400_000) {
    throw invalid([{ field: 'to', in: 'query', reason: `a period spans at most ${MAX_PERIOD_DAYS} days` }]);
  }
  return { from, to };
}

const DailySchema = z
  .object({
    days: z.array(
      z.object({
        day: z.string().openapi({ description: 'YYYY-MM-DD (UTC)' }),
        cases: z.number().int().openapi({ description: 'met + breached + open + closedWithoutResponse + noTarget' }),
        met: z.number().int(),
        breached: z.number().int(),
        open: z.number().int(),
        closedWithoutResponse: z.number().int(),
        noTarget: z.number().int(),
        medianFirstResponseMs: z.number().nullable(),
        p90FirstResponseMs: z.number().nullable(),
      }),
    ),
  })
  .openapi('SlaReportDaily');

const DrillSchema = z
  .object({
    items: z.array(
      z.object({
        caseId: z.string(),
        number: z.number().int(),
        title: z.string(),
        orgId: z.string(),
        program: z.string(),
        severity: z.number().int().openapi({ description: 'the level the first-response clock ended at' }),
        state: z.string(),
        outcome: z.enum(SLA_OUTCOMES).openapi({ description: 'the report column the case counts in' }),
        dueAt: z.string().nullable(),
        breachedAt: z.string().nullable(),
        elapsedMs: z.number().nullable(),
      }),
    ),
  })
  .openapi('SlaReportCases');

export function registerReportSeriesRoutes({ api, db }: Services): void {
  const filters = (query: { program?: string; severity?: number }, from: Date, to: Date): SQL | undefined =>
    and(
      eq(slaClocks.clock, 'firstResponse'),
      gte(slaClocks.startedAt, from),
      lt(slaClocks.startedAt, to),
      query.program ? eq(slaClocks.entitlement, query.program) : undefined,
      query.severity ? sql`${reportLevel} = ${query.severity}` : undefined,
    );

  defineRoute(
    api,
    {
      method: 'get',
      path: '/reports/sla/daily',
      tag: 'Reports',
      summary: 'First-response SLA per day',
      description:
        'Per UTC day of clock start: cases, each in one of met, breached, open, closedWithoutResponse, noTarget, and the ' +
        'median and 90th-percentile first response over the answered cases.',
      roles: STAFF_ROLES,
      query: z.strictObject(PeriodQuery),
      response: { status: 200, description: 'One row per day with cases', schema: DailySchema },
    },
    async ({ query }) => {
      const { from, to } = period(query);
      const day = sql<string>`to_char(${slaClocks.startedAt} at time zone 'UTC', 'YYYY-MM-DD')`;
      const rows = await db
        .select({
          day,
          cases: sql<number>`count(*)::int`,
          met: countOutcome('met'),
          breached: countOutcome('breached'),
          open: countOutcome('open'),
          closedWithoutResponse: countOutcome('closed_without_response'),
          noTarget: countOutcome('no_target'),
          p50: responsePercentile(0.5),
          p90: responsePercentile(0.9),
        })
        .from(slaClocks)
        .where(filters(query, from, to))
        .groupBy(day)
        .orderBy(day);
      return {
        body: {
          days: rows.map((r) => ({
            day: r.day,
            cases: r.cases,
            met: r.met,
            breached: r.breached,
            open: r.open,
            closedWithoutResponse: r.closedWithoutResponse,
            noTarget: r.noTarget,
            medianFirstResponseMs: r.p50 === null ? null : Math.round(r.p50),
            p90FirstResponseMs: r.p90 === null ? null : Math.round(r.p90),
          })),
        },
      };
    },
  );

  defineRoute(
    api,
    {
      method: 'get',
      path: '/reports/sla/cases',
      tag: 'Reports',
      summary: 'The cases behind an SLA report cell (drill-down)',
      roles: STAFF_ROLES,
      query: z.strictObject({
        ...PeriodQuery,
        outcome: z.enum([...SLA_OUTCOMES, 'all']).default('all'),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      response: { status: 200, description: 'Cases, oldest clock start first', schema: DrillSchema },
    },
    async ({ query }) => {
      const { from, to } = period(query);
      const outcome = query.outcome === 'all' ? undefined : isOutcome(query.outcome);
      const rows = await db
        .select({
          clock: slaClocks,
          level: reportLevel,
          outcome: outcomeOf,
          c: { id: cases.id, number: cases.number, title: cases.title, orgId: cases.orgId },
        })
        .from(slaClocks)
        .innerJoin(cases, eq(cases.id, slaClocks.caseId))
        .where(and(filters(query, from, to), outcome))
        .orderBy(asc(slaClocks.startedAt))
        .limit(query.limit);
      return {
        body: {
          items: rows.map(({ clock, level, outcome: cell, c }) => ({
            caseId: c.id,
            number: c.number,
            title: c.title,
            orgId: c.orgId,
            program: clock.entitlement ?? 'unknown',
            severity: level ?? 0,
            state: clock.state,
            outcome: cell as SlaOutcome,
            dueAt: clock.dueAt?.toISOString() ?? null,
            breachedAt: clock.breachedAt?.toISOString() ?? null,
            elapsedMs: clock.elapsedMs,
          })),
        },
      };
    },
  );
}
