/**
 * SLA achievement from the read model's sla_clocks: per program and level, first-response clocks started
 * in [from, to): met, breached, still open, without a target, and median / 90th-percentile response time.
 */
import { sql } from 'drizzle-orm';
import { levelLabel } from '../../policy';
import type { EntitlementId, Level } from '../../policy/types';
import { STAFF_ROLES } from '../principal';
import { invalid } from '../problem';
import { defineRoute } from '../route';
import { ENTITLEMENT_IDS } from '../schemas/admin';
import { IsoInstant } from '../schemas/common';
import type { Services } from '../services';
import { z } from '../zod';

const MAX_PERIOD_DAYS = 400;

const ReportQuery = z.strictObject({
  from: IsoInstant.openapi({ description: 'start of the period (inclusive), by first-response clock start' }),
  to: IsoInstant.openapi({ description: 'end of the period (exclusive)' }),
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

interface ReportRow extends Record<string, unknown> {
  entitlement: string;
  level: number;
  cases: number;
  met: number;
  breached: number;
  open: number;
  no_target: number;
  median_ms: number | null;
  p90_ms: number | null;
}

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
      const result = await db.execute<ReportRow>(sql`
        select entitlement, level,
          count(*)::int as cases,
          (count(*) filter (where state = 'met' and breached_at is null))::int as met,
          (count(*) filter (where state = 'breached' or breached_at is not null))::int as breached,
          (count(*) filter (where state in ('running', 'paused') and breached_at is null))::int as open,
          (count(*) filter (where state in ('no_target', 'not_available', 'best_effort')))::int as no_target,
          (percentile_cont(0.5) within group (order by elapsed_ms) filter (where elapsed_ms is not null))::float8 as median_ms,
          (percentile_cont(0.9) within group (order by elapsed_ms) filter (where elapsed_ms is not null))::float8 as p90_ms
        from sla_clocks
        where clock = 'firstResponse' and started_at >= ${from} and started_at < ${to}
          ${query.program ? sql`and entitlement = ${query.program}` : sql``}
        group by entitlement, level
        order by entitlement, level`);
      const rows = (Array.isArray(result) ? result : (result as { rows: ReportRow[] }).rows) as ReportRow[];
      return {
        body: {
          from: from.toISOString(),
          to: to.toISOString(),
          rows: rows.map((r) => ({
            program: r.entitlement,
            severity: r.level,
            levelLabel: levelLabel(r.entitlement as EntitlementId, r.level as Level),
            cases: r.cases,
            met: r.met,
            breached: r.breached,
            open: r.open,
            noTarget: r.no_target,
            achievement: r.met + r.breached > 0 ? r.met / (r.met + r.breached) : null,
            medianFirstResponseMs: r.median_ms === null ? null : Math.round(r.median_ms),
            p90FirstResponseMs: r.p90_ms === null ? null : Math.round(r.p90_ms),
          })),
        },
      };
    },
  );
}
