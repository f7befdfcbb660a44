/** The policy in force: programs and plans with their targets, languages, follow-the-sun shifts, calendars. */
import {
  ENTITLEMENTS,
  isOpen,
  LEVELS,
  levelLabel,
  nextOpening,
  openUntil,
  REGION_LANGUAGES,
  SUN_HANDOFFS_UTC,
  targetLabel,
  type Level,
  type LevelKey,
  type PolicyDocument,
} from '../../policy';
import type { CalendarSpec } from '../../policy/types';
import { versionAt } from '../policy/versions-store';
import { registerBacktestRoutes } from './policy-backtests';
import { registerPolicyVersionRoutes } from './policy-versions';
import { caseCalendars } from '../cases/calendars';
import { withImportedClosures } from '../calendars/closures-store';
import { canSeeOrg, CASE_OPENERS, STAFF_ROLES, type Principal } from '../principal';
import { notFound } from '../problem';
import { defineRoute } from '../route';
import { CalendarSchema, IdSchema } from '../schemas/common';
import type { Services } from '../services';
import { z } from '../zod';

const OpenNowSchema = z
  .object({
    open: z.boolean(),
    changesAt: z.string().nullable().openapi({ description: 'when it closes (if open) or opens next (if closed); null: always open' }),
  })
  .openapi('OpenNow');

function openNow(cal: CalendarSpec, at: number) {
  const open = isOpen(cal, at);
  const changesAt = open ? openUntil(cal, at) : nextOpening(cal, at);
  return { open, changesAt: changesAt === null ? null : new Date(changesAt).toISOString() };
}

const PolicySchema = z
  .object({
    version: z.string().openapi({ description: 'the key cases opened now pin as policyVersion' }),
    versionNumber: z.number().int(),
    effectiveAt: z.string(),
    entitlements: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        scheme: z.enum(['severity', 'priority']),
        coverage: z.string(),
        phone: z.boolean(),
        web: z.boolean(),
        email: z.boolean(),
        sam: z.boolean(),
        updates: z.boolean(),
        upgrades: z.boolean(),
        bestEffort: z.boolean(),
        targets: z.record(z.string(), z.string()).openapi({ description: 'level label -> initial response target' }),
        aroundTheClock: z.array(z.string()).openapi({ description: 'levels worked around the clock while the customer has a resource' }),
      }),
    ),
    regionLanguages: z.record(z.string(), z.array(z.string())),
    followTheSunUtc: z.array(z.object({ region: z.string(), fromHour: z.number(), toHour: z.number() })),
    organisation: z
      .object({
        id: z.string(),
        coverage: CalendarSchema,
        businessCalendar: CalendarSchema,
        now: z
          .object({ at: z.string(), coverage: OpenNowSchema, businessHours: OpenNowSchema })
          .openapi({ description: 'whether each calendar is open at the moment of this answer (public holidays included)' }),
      })
      .optional()
      .openapi({ description: "the calendars a case opened now would pin: the caller's organisation, or ?orgId=" }),
  })
  .openapi('Policy');

/** Programs as the version in force says (targets, around-the-clock levels); the rest is fixed text. */
const entitlementViews = (doc: PolicyDocument) =>
  Object.values(ENTITLEMENTS).map((e) => {
    const label = (level: Level) => levelLabel(e.id, level);
    const program = doc.programs[e.id];
    return {
      id: e.id,
      name: e.name,
      scheme: e.scheme,
      coverage: e.coverage,
      phone: e.phone,
      web: e.web,
      email: e.email,
      sam: e.sam,
      updates: e.updates,
      upgrades: e.upgrades,
      bestEffort: e.bestEffort,
      targets: Object.fromEntries(LEVELS.map((level) => [label(level), targetLabel(program.targets[String(level) as LevelKey])])),
      aroundTheClock: program.aroundTheClockLevels.map(label),
    };
  });

export function registerPolicyRoutes(services: Services): void {
  const { api, caches, db } = services;
  async function organisationCalendars(principal: Principal, orgId: string | undefined, doc: PolicyDocument) {
    const id = orgId ?? principal.orgId;
    if (!id) return undefined;
    const org = canSeeOrg(principal, id) ? await caches.organisation(id) : undefined;
    if (!org) throw notFound('organisation');
    const at = new Date();
    const calendars = caseCalendars(await withImportedClosures(db, org), at, doc);
    const now = {
      at: at.toISOString(),
      coverage: openNow(calendars.coverage, at.getTime()),
      businessHours: openNow(calendars.businessCalendar, at.getTime()),
    };
    return { id: org.id, ...calendars, now };
  }

  defineRoute(
    api,
    {
      method: 'get',
      path: '/policy',
      tag: 'Policy',
      summary: 'Programs, targets and calendars in force',
      roles: [...CASE_OPENERS, ...STAFF_ROLES],
      query: z.strictObject({ orgId: IdSchema.optional() }),
      response: { status: 200, description: 'The policy', schema: PolicySchema },
      problems: [404],
    },
    async ({ query, principal }) => {
      const inForce = await versionAt(db, new Date());
      const organisation = await organisationCalendars(principal, query.orgId, inForce.document);
      return {
        body: {
          version: inForce.key,
          versionNumber: inForce.version,
          effectiveAt: new Date(inForce.effectiveAt).toISOString(),
          entitlements: entitlementViews(inForce.document),
          regionLanguages: REGION_LANGUAGES,
          followTheSunUtc: SUN_HANDOFFS_UTC,
          ...(organisation ? { organisation } : {}),
        },
      };
    },
  );
  registerPolicyVersionRoutes(services);
  registerBacktestRoutes(services);
}
