/**
 * The SLA report over time and its drill-down, for the managers' charts: per day (UTC) of first-response
 * clock start, cases, met, breached and p50/p90 first response; and the cases behind one report cell.
 */
import { and, asc, eq, gte, isNotNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { cases, slaClocks } from '../../db/schema';
import { STAFF_ROLES } from '../principal';
import { invalid } from '../problem';
import { defineRoute } from '../route';
import { ENTITLEMENT_IDS } from '../schemas/admin';
import { IsoInstant } from '../schemas/common';
import type { Services } from '../services';
import { z } from '../zod';

const MAX_PERIOD_DAYS = 400;

const PeriodQuery = {
  from: IsoInstant.openapi({ description: 'start of the period (inclusive), by first-response clock start' }),
  to: IsoInstant.openapi({ description: 'end of the period (exclusive)' }),
  program: z.enum(ENTITLEMENT_IDS).optional(),
  severity: z.coerce.number().int().min(1).max(4).optional(),
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

const breachedClock = or(eq(slaClocks.state, 'breached'), isNotNull(slaClocks.breachedAt))!;
const metClock = sql`${slaClocks.state} = 'met' and ${slaClocks.breachedAt} is null`;

const DailySchema = z
  .object({
    days: z.array(
      z.object({
        day: z.string().openapi({ description: 'YYYY-MM-DD (UTC)' }),
        cases: z.number().int(),
        met: z.number().int(),
        breached: z.number().int(),
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
        severity: z.number().int(),
        state: z.string(),
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
      query.severity ? eq(slaClocks.level, query.severity) : undefined,
    );

  defineRoute(
    api,
    {
      method: 'get',
      path: '/reports/sla/daily',
      tag: 'Reports',
      summary: 'First-response SLA per day',
      description: 'Per UTC day of clock start: cases, met, breached, median and 90th-percentile first response.',
      roles: STAFF_ROLES,
      query: z.strictObject(PeriodQuery),
      response: { status: 200, description: 'One row per day with cases', schema: DailySchema },
    },
    async ({ query }) => {
      const { from, to } = period(query);
      const day = sql<string>`to_char(${slaClocks.startedAt} at time zone 'UTC', 'YYYY-MM-DD')`;
      const pct = (p: number) =>
        sql<
          number | null
        >`(percentile_cont(${sql.raw(String(p))}) within group (order by ${slaClocks.elapsedMs}) filter (where ${slaClocks.elapsedMs} is not null))::float8`;
      const rows = await db
        .select({
          day,
          cases: sql<number>`count(*)::int`,
          met: sql<number>`(count(*) filter (where ${metClock}))::int`,
          breached: sql<number>`(count(*) filter (where ${breachedClock}))::int`,
          p50: pct(0.5),
          p90: pct(0.9),
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
        outcome: z.enum(['met', 'breached', 'open', 'all']).default('all'),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      response: { status: 200, description: 'Cases, oldest clock start first', schema: DrillSchema },
    },
    async ({ query }) => {
      const { from, to } = period(query);
      const outcome = {
        met: metClock,
        breached: breachedClock,
        open: sql`${slaClocks.state} in ('running', 'paused') and ${slaClocks.breachedAt} is null`,
        all: undefined,
      }[query.outcome];
      const rows = await db
        .select({ clock: slaClocks, c: { id: cases.id, number: cases.number, title: cases.title, orgId: cases.orgId } })
        .from(slaClocks)
        .innerJoin(cases, eq(cases.id, slaClocks.caseId))
        .where(and(filters(query, from, to), outcome))
        .orderBy(asc(slaClocks.startedAt))
        .limit(query.limit);
      return {
        body: {
          items: rows.map(({ clock, c }) => ({
            caseId: c.id,
            number: c.number,
            title: c.title,
            orgId: c.orgId,
            program: clock.entitlement ?? 'unknown',
            severity: clock.level ?? 0,
            state: clock.state,
            dueAt: clock.dueAt?.toISOString() ?? null,
            breachedAt: clock.breachedAt?.toISOString() ?? null,
            elapsedMs: clock.elapsedMs,
          })),
        },
      };
    },
  );
}
