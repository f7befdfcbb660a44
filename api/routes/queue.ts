/**
 * The engineers' queue: open cases (not closed), urgency first, paged on the server. Overdue cases come
 * first, most overdue first (cases.overdue_since: the earliest breached due instant of a clock still not
 * met), then every case by its next due instant (cases.next_due_at: the earliest due instant of a running
 * clock not yet breached), cases with neither last. Reads the read model only; the partial index
 * cases_open_urgency_idx (overdue_since, next_due_at, id) WHERE status <> 'closed' serves the order, so the
 * first page of tens of thousands of open cases costs a few index pages.
 *
 * "My region and mine" (scope=region) also holds the around-the-clock cases paged to the region (the view's
 * `page.region`, the follow-the-sun region working it now, whatever the customer's market), and both
 * scope=region and scope=mine hold the cases whose page is addressed to the caller right now (its
 * `page.recipient`, `oncall:<region>` or `oncall:<region>:fallback`, resolved through the on-call rota as the
 * page's delivery resolves it; `manager:duty` for the duty manager).
 */
import { and, asc, eq, ilike, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import { cases, organisations } from '../../db/schema';
import type { Db } from '../../db/client';
import type { CaseView } from '../../contract/case';
import { onCall, onCallFallback } from '../../activities/mail/recipients';
import { caseSummary } from '../cases/case-resource';
import { STAFF_ROLES, type Principal } from '../principal';
import { defineRoute } from '../route';
import { ENTITLEMENT_IDS, SUN_REGIONS } from '../schemas/admin';
import { CASE_STATUSES, CaseSchema } from '../schemas/cases';
import type { Services } from '../services';
import { z } from '../zod';

/** Customers' market regions by the follow-the-sun region whose engineers work them. */
const MARKETS_OF_SUN_REGION: Record<(typeof SUN_REGIONS)[number], string[]> = {
  APAC: ['APAC'],
  EMEA: ['EMEA'],
  AMERICAS: ['US', 'CA', 'LATAM'],
};

const QueueQuery = z
  .strictObject({
    scope: z
      .enum(['mine', 'region', 'all'])
      .default('all')
      .openapi({
        description:
          'mine: owned by me, or with a Severity 1 page addressed to me now (on-call rota); region: customers of my home ' +
          'region (or `region`), cases paged to that region (around the clock, any market), and mine; all: every open case',
      }),
    region: z.enum(SUN_REGIONS).optional().openapi({ description: "with scope=region: this region instead of the caller's home region" }),
    status: z.enum(CASE_STATUSES).exclude(['closed']).optional(),
    severity: z.coerce.number().int().min(1).max(4).optional(),
    slaState: z
      .string()
      .regex(/^[a-z_]{1,32}$/)
      .optional(),
    program: z.enum(ENTITLEMENT_IDS).optional(),
    runningClock: z
      .string()
      .regex(/^[A-Za-z0-9]{1,32}$/)
      .optional()
      .openapi({ description: 'only cases with this clock running, e.g. managerAck (manager requests waiting for acknowledgement)' }),
    awaiting: z
      .enum(['page'])
      .optional()
      .openapi({
        description:
          'page: only cases whose Severity 1 page waits for acknowledgement (neither acknowledged nor withdrawn), ordered by ' +
          'when it escalates next (those already with the duty manager, the last step, first)',
      }),
    q: z.string().trim().max(100).optional().openapi({ description: 'case number, or words of the title or customer name' }),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  })
  .openapi('QueueQuery');

const QueueSchema = z
  .object({
    items: z.array(
      CaseSchema.omit({ description: true }).extend({
        customer: z.object({ name: z.string(), timeZone: z.string(), marketRegion: z.string() }),
        overdueSince: z
          .string()
          .nullable()
          .openapi({
            description:
              'the earliest breached due instant among clocks still not met (breached, neither answered nor retired); ' +
              'null when nothing is overdue. The queue sorts these cases first, the most overdue first',
            example: '2026-11-29T14:24:23.864Z',
          }),
        nextDueClock: z.string().nullable().openapi({
          description: 'the clock `nextDueAt` belongs to (firstResponse, sev1Update, managerAck, ...); null without a next due instant',
          example: 'sev1Update',
        }),
      }),
    ),
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int().openapi({ description: 'open cases matching the filters' }),
  })
  .openapi('Queue');

const page = sql`${cases.snapshot}->'page'`;
/** A Severity 1 page nobody has acknowledged and around-the-clock work has not withdrawn (machine/pages.ts). */
const PAGE_WAITING = sql`jsonb_typeof(${page}) = 'object' and ${page}->>'acknowledgedAt' is null and ${page}->>'withdrawnAt' is null`;
/** ISO instants in UTC sort as text; no next step (already with the duty manager) sorts first. */
const PAGE_ORDER = [sql`${page}->>'escalatesAt' asc nulls first`, sql`${page}->>'pagedAt' asc`];

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A page around-the-clock work has not withdrawn (waiting or acknowledged): the case is being worked by its region. */
const PAGE_ACTIVE = sql`jsonb_typeof(${page}) = 'object' and ${page}->>'withdrawnAt' is null`;

/** Urgency first: overdue (most overdue first), then by next due instant, then neither. */
const URGENCY_ORDER = [sql`${cases.overdueSince} asc nulls last`, sql`${cases.nextDueAt} asc nulls last`, asc(cases.id)];

/**
 * The page recipients (machine/notices.ts pageChain) that reach this principal now, resolved as delivery
 * resolves them (activities/mail/recipients.ts): the on-call engineer and fallback of each region's shift
 * in force (the region's engineers without one), and the duty manager.
 */
async function pageRecipientsOf(db: Db, principal: Principal, now: Date): Promise<string[]> {
  if (principal.role === 'manager') return principal.managerLevel === 1 ? ['manager:duty'] : [];
  if (principal.role !== 'engineer') return [];
  const reached = await Promise.all(
    SUN_REGIONS.flatMap((region) => [
      onCall(db, region, now).then((people) => (people.some((p) => p.principalId === principal.id) ? `oncall:${region}` : null)),
      onCallFallback(db, region, now).then((people) =>
        people.some((p) => p.principalId === principal.id) ? `oncall:${region}:fallback` : null,
      ),
    ]),
  );
  return reached.filter((r): r is string => r !== null);
}

export function registerQueueRoutes({ api, db }: Services): void {
  defineRoute(
    api,
    {
      method: 'get',
      path: '/queue',
      tag: 'Cases',
      summary: "The engineers' queue of open cases",
      description:
        'Open cases, urgency first: overdue cases (a clock breached and still not met) first, the most overdue first ' +
        '(`overdueSince`), then by the next due instant (`nextDueAt`, of `nextDueClock`), cases with neither last; ' +
        'with the customer and its time zone. Paged on the server (`page`, `pageSize`); `total` counts every match.',
      roles: STAFF_ROLES,
      query: QueueQuery,
      response: { status: 200, description: 'One page of the queue', schema: QueueSchema },
    },
    async ({ query, principal }) => {
      const conditions: (SQL | undefined)[] = [ne(cases.status, 'closed')];
      if (query.scope === 'mine' || query.scope === 'region') {
        const recipients = await pageRecipientsOf(db, principal, new Date());
        const mine = [
          eq(cases.ownerId, principal.id),
          recipients.length > 0 ? and(PAGE_ACTIVE, inArray(sql`${page}->>'recipient'`, recipients)) : undefined,
        ];
        if (query.scope === 'mine') conditions.push(or(...mine));
        else {
          const region = query.region ?? (principal.homeRegion as keyof typeof MARKETS_OF_SUN_REGION | null);
          const markets = region ? MARKETS_OF_SUN_REGION[region] : undefined;
          conditions.push(
            or(
              markets ? inArray(organisations.marketRegion, markets) : undefined,
              region ? and(PAGE_ACTIVE, sql`${page}->>'region' = ${region}`) : undefined,
              ...mine,
            ),
          );
        }
      }
      if (query.status) conditions.push(eq(cases.status, query.status));
      if (query.severity) conditions.push(eq(cases.level, query.severity));
      if (query.slaState) conditions.push(eq(cases.slaState, query.slaState));
      if (query.program) conditions.push(eq(cases.entitlement, query.program));
      if (query.runningClock) conditions.push(sql`${cases.snapshot}->'clocks'->${query.runningClock}->>'state' = 'running'`);
      if (query.awaiting === 'page') conditions.push(PAGE_WAITING);
      if (query.q) {
        const words = `%${escapeLike(query.q)}%`;
        conditions.push(
          /^[0-9]{1,15}$/.test(query.q)
            ? eq(cases.number, Number(query.q))
            : or(ilike(cases.title, words), ilike(organisations.name, words)),
        );
      }
      const where = and(...conditions);
      const [rows, [{ total }]] = await Promise.all([
        db
          .select({
            c: cases,
            org: { name: organisations.name, timeZone: organisations.timeZone, marketRegion: organisations.marketRegion },
          })
          .from(cases)
          .innerJoin(organisations, eq(organisations.id, cases.orgId))
          .where(where)
          .orderBy(...(query.awaiting === 'page' ? PAGE_ORDER : []), ...URGENCY_ORDER)
          .limit(query.pageSize)
          .offset((query.page - 1) * query.pageSize),
        db
          .select({ total: sql<number>`count(*)::int` })
          .from(cases)
          .innerJoin(organisations, eq(organisations.id, cases.orgId))
          .where(where),
      ]);
      return {
        body: {
          items: rows.map((r) => ({
            ...caseSummary({ ...r.c, snapshot: r.c.snapshot as CaseView }),
            customer: r.org,
            overdueSince: r.c.overdueSince?.toISOString() ?? null,
            nextDueClock: r.c.nextDueClock,
          })),
          page: query.page,
          pageSize: query.pageSize,
          total,
        },
      };
    },
  );
}
