/**
 * Phone support by policy: an existing case number, a technical or licensing case, a program with phone
 * support. Routing picks the market region's queue in the caller's language and tries to reconnect the
 * caller with the engineer who worked the case (its owner, else the last engineer who acted on it).
 */
import { randomUUID } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { phoneEligibility } from '../../policy';
import type { CaseType, EntitlementId } from '../../policy/types';
import { caseEvents, phoneSessions, principals } from '../../db/schema';
import type { Role } from '../../contract/case';
import type { CaseRow } from '../cases/case-resource';
import { loadCase } from '../cases/load-case';
import { languageProblem } from '../policy-checks';
import { CUSTOMER_SIDE } from '../principal';
import { conflict, notFound, Problem, unprocessable } from '../problem';
import { defineRoute } from '../route';
import { CaseRefParams, PhoneSessionBody, PhoneSessionSchema } from '../schemas/cases';
import type { Services } from '../services';

const CALLERS: Role[] = [...CUSTOMER_SIDE, 'engineer', 'manager'];

export function registerPhoneRoutes(svc: Services): void {
  const { api, db } = svc;

  async function previousEngineer(row: CaseRow) {
    const engineer = { id: principals.id, name: principals.name, homeRegion: principals.homeRegion };
    const active = and(eq(principals.role, 'engineer'), isNull(principals.disabledAt));
    if (row.ownerId) {
      const [owner] = await db
        .select(engineer)
        .from(principals)
        .where(and(eq(principals.id, row.ownerId), active));
      if (owner) return owner;
    }
    const [last] = await db
      .select(engineer)
      .from(caseEvents)
      .innerJoin(principals, eq(principals.id, caseEvents.actorId))
      .where(and(eq(caseEvents.caseId, row.id), active))
      .orderBy(desc(caseEvents.id))
      .limit(1);
    return last ?? null;
  }

  defineRoute(
    api,
    {
      method: 'post',
      path: '/cases/:id/phone-sessions',
      tag: 'Phone support',
      summary: 'Route a phone call for an existing case',
      description: 'The case may be addressed by its number, as callers do. Not eligible (program, case type) is a 422 with the reason.',
      roles: CALLERS,
      params: CaseRefParams,
      body: PhoneSessionBody,
      response: { status: 201, description: 'Routed', schema: PhoneSessionSchema },
      problems: [404, 409, 422],
    },
    async ({ params, body, principal }) => {
      const row = await loadCase(db, principal, params.id);
      const eligibility = phoneEligibility({
        entitlement: row.entitlement as EntitlementId,
        caseType: row.type as CaseType,
        caseExists: true,
      });
      if (!eligibility.eligible) {
        throw new Problem(422, 'phone-not-eligible', eligibility.reason, [{ field: 'id', in: 'path', reason: eligibility.reason }]);
      }
      if (row.status === 'closed') throw conflict('the case is closed: open a new case that references it', 'case-finished');
      const org = await svc.caches.organisation(row.orgId);
      if (!org) throw notFound('organisation');
      const language = body.language ?? row.language;
      const languageIssue = languageProblem(org.marketRegion, language);
      if (languageIssue) throw unprocessable('language', languageIssue);
      const engineer = await previousEngineer(row);
      const [session] = await db
        .insert(phoneSessions)
        .values({
          id: randomUUID(),
          caseId: row.id,
          principalId: principal.id,
          queue: `${org.marketRegion}-${language}`,
          language,
          preferredEngineerId: engineer?.id ?? null,
        })
        .returning();
      return {
        body: {
          id: session.id,
          caseId: row.id,
          caseNumber: row.number,
          eligible: true,
          reason: eligibility.reason,
          queue: session.queue,
          language,
          preferredEngineer: engineer,
          createdAt: session.createdAt.toISOString(),
        },
      };
    },
  );
}
