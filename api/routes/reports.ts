/**
 * SLA achievement from the read model's sla_clocks: per program and level, first-response clocks started
 * in [from, to): met, breached, still open, without a target, and median / 90th-percentile response time.
 */
import { and, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { slaClocks } from '../../db/schema';
import { levelLabel } from '../../policy';
import type { EntitlementId, Level } from '../../policy/types';
import { STAFF_ROLES } from '../principal';
import { invalid } from '../problem';
import { defineRoute } from '../route';
import { ENTITLEMENT_IDS } from '../schemas/admin';
import { InputInstant } from '../schemas/common';
import type { Services } from '../services';
import { z } from '../zod';

const MAX_PERIOD_DAYS = 400;

const ReportQuery = z.strictObject({
  from: InputInstant.openapi({ description: 'start of the period (inclusive), by first-response clock start' }),
  to: InputInstant.openapi({ description: 'end of the period (exclusive)' }),
  program: z.enum(ENTITLEMENT_IDS).optional(),
});

const ReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    rows: z.array(
      z.object({
        program: z.string(),
        severity: z.number().int(),
        levelLabel: z.string(),
        cases: z.number().int(),
        met: z.number().int(),
        breached: z.number().int(),
        open: z.number().int(),
        noTarget: z.number().int(),
        achievement: z.number().nullable().openapi({ description: 'met / (met + breached); null without decided clocks' }),
        medianFirstResponseMs: z.number().nullable(),
        p90FirstResponseMs: z.number().nullable(),
      }),
    ),
  })
  .openapi('SlaReport');

export function registerReportRoutes({ api, db }: Services): void {
  defineRoute(
    api,
    {
      method: 'get',
      path: '/reports/sla',
      tag: 'Reports',
      summary: 'SLA achievement per program and severity over a period',
      roles: STAFF_ROLES,
      query: ReportQuery,
      response: { status: 200, description: 'The report', schema: ReportSchema },
    },
    async ({ query }) => {
      const from = new Date(query.from);
      const to = new Date(query.to);
      if (to <= from) throw invalid([{ field: 'to', in: 'query', reason: 'must be after from' }]);
      if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * 86_400_000) {
        throw invalid([{ field: 'to', in: 'query', reason: `a period spans at most ${MAX_PERIOD_DAYS} days` }]);
      }
      const count = (filter: SQL) => sql<number>`(count(*) filter (where ${filter}))::int`;
      const percentile = (p: number) =>
        sql<
          number | null
        >`(percentile_cont(${sql.raw(String(p))}) within group (order by ${slaClocks.elapsedMs}) filter (where ${slaClocks.elapsedMs} is not null))::float8`;
      const rows = await db
        .select({
          entitlement: slaClocks.entitlement,
          level: slaClocks.level,
          cases: sql<number>`count(*)::int`,
          met: count(sql`${slaClocks.state} = 'met' and ${slaClocks.breachedAt} is null`),
          breached: count(sql`${slaClocks.state} = 'breached' or ${slaClocks.breachedAt} is not null`),
          open: count(sql`${slaClocks.state} in ('running', 'paused') and ${slaClocks.breachedAt} is null`),
          noTarget: count(sql`${slaClocks.state} in ('no_target', 'not_available', 'best_effort')`),
          medianMs: percentile(0.5),
          p90Ms: percentile(0.9),
        })
        .from(slaClocks)
        .where(
          and(
            eq(slaClocks.clock, 'firstResponse'),
            gte(slaClocks.startedAt, from),
            lt(slaClocks.startedAt, to),
            query.program ? eq(slaClocks.entitlement, query.program) : undefined,
          ),
        )
        .groupBy(slaClocks.entitlement, slaClocks.level)
        .orderBy(slaClocks.entitlement, slaClocks.level);
      return {
        body: {
          from: from.toISOString(),
          to: to.toISOString(),
          rows: rows.map((r) => ({
            program: r.entitlement ?? 'unknown',
            severity: r.level ?? 0,
            levelLabel: r.entitlement && r.level ? levelLabel(r.entitlement as EntitlementId, r.level as Level) : 'unknown',
            cases: r.cases,
            met: r.met,
            breached: r.breached,
            open: r.open,
            noTarget: r.noTarget,
            achievement: r.met + r.breached > 0 ? r.met / (r.met + r.breached) : null,
            medianFirstResponseMs: r.medianMs === null ? null : Math.round(r.medianMs),
            p90FirstResponseMs: r.p90Ms === null ? null : Math.round(r.p90Ms),
          })),
        },
      };
    },
  );
}
