/**
 * SLA achievement from the read model's sla_clocks: per program and level (the level the first-response
 * clock ended at), first-response clocks started in [from, to): met, breached, still open, closed without a
 * response, without a target (each case in exactly one: sla-outcome.ts), and median / 90th-percentile
 * response time over the answered ones.
 */
import { and, eq, gte, lt, sql } from 'drizzle-orm';
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
import { countOutcome, reportLevel, responsePercentile } from './sla-outcome';

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
        severity: z.number().int().openapi({ description: 'the level the first-response clock ended at (stopped, or runs at now)' }),
        levelLabel: z.string(),
        cases: z.number().int().openapi({ description: 'met + breached + open + closedWithoutResponse + noTarget' }),
        met: z.number().int().openapi({ description: 'answered at or before the due instant' }),
        breached: z
          .number()
          .int()
          .openapi({ description: 'past the due instant: answered late, unanswered, or closed unanswered after it' }),
        open: z.number().int().openapi({ description: 'not answered yet, not breached' }),
        closedWithoutResponse: z.number().int().openapi({ description: 'closed before the due instant without any response' }),
        noTarget: z.number().int().openapi({ description: 'no target: no_target, not_available, best_effort' }),
        achievement: z.number().nullable().openapi({ description: 'met / (met + breached); null without decided clocks' }),
        medianFirstResponseMs: z
          .number()
          .nullable()
          .openapi({ description: 'over the answered cases (met or breached with a response); null without one' }),
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
      const rows = await db
        .select({
          entitlement: slaClocks.entitlement,
          level: reportLevel,
          cases: sql<number>`count(*)::int`,
          met: countOutcome('met'),
          breached: countOutcome('breached'),
          open: countOutcome('open'),
          closedWithoutResponse: countOutcome('closed_without_response'),
          noTarget: countOutcome('no_target'),
          medianMs: responsePercentile(0.5),
          p90Ms: responsePercentile(0.9),
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
        .groupBy(slaClocks.entitlement, reportLevel)
        .orderBy(slaClocks.entitlement, reportLevel);
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
            closedWithoutResponse: r.closedWithoutResponse,
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
