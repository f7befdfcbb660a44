/**
 * Organisations: register, list (each principal sees the ones visible to it), read and update. An
 * organisation's zone, country, subdivision, business hours and closed days make the calendars of the cases
 * it opens afterwards.
 */
import { randomUUID } from 'node:crypto';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { organisations } from '../../../db/schema';
import { isUniqueViolation } from '../../../db/errors';
import { languageProblem } from '../../policy-checks';
import { visibleOrgIds } from '../../principal';
import { conflict, notFound, unprocessable } from '../../problem';
import { defineRoute } from '../../route';
import { CreateOrganisationBody, isKnownSubdivision, OrganisationSchema, UpdateOrganisationBody } from '../../schemas/admin';
import type { Services } from '../../services';
import { z } from '../../zod';
import { ADMIN, clearCachesOnWrite, EVERYONE, IdParams } from './shared';

type OrgRow = typeof organisations.$inferSelect;

const organisationResource = (o: OrgRow) => ({
  id: o.id,
  name: o.name,
  supportId: o.supportId,
  entitlement: o.entitlement,
  marketRegion: o.marketRegion,
  country: o.country,
  subdivision: o.subdivision,
  timeZone: o.timeZone,
  language: o.language,
  businessHours: o.businessHours ?? null,
  closedDates: o.closedDates,
  createdAt: o.createdAt.toISOString(),
  updatedAt: o.updatedAt.toISOString(),
});

/** Cross-field rules zod cannot see alone: language of the region, subdivision of the country. */
function checkOrganisation(o: { marketRegion: string; language: string; country: string; subdivision?: string | null }): void {
  const language = languageProblem(o.marketRegion, o.language);
  if (language) throw unprocessable('language', language);
  if (o.subdivision && !isKnownSubdivision(o.country, o.subdivision)) {
    throw unprocessable('subdivision', `no holiday data for subdivision ${o.subdivision} of ${o.country}`);
  }
}

export function registerOrganisationRoutes({ api, db, caches }: Services): void {
  const write = clearCachesOnWrite(caches);
  defineRoute(
    api,
    {
      method: 'post',
      path: '/organisations',
      tag: 'Administration',
      summary: 'Register an organisation',
      roles: ADMIN,
      body: CreateOrganisationBody,
      response: { status: 201, description: 'Registered', schema: OrganisationSchema },
      problems: [409, 422],
    },
    async ({ body }) => {
      checkOrganisation(body);
      const [row] = await db
        .insert(organisations)
        .values({ ...body, id: body.id ?? randomUUID(), subdivision: body.subdivision ?? null, closedDates: body.closedDates ?? [] })
        .onConflictDoNothing()
        .returning();
      if (!row) throw conflict('an organisation with this id or Support ID exists');
      return write({ body: organisationResource(row) });
    },
  );

  defineRoute(
    api,
    {
      method: 'get',
      path: '/organisations',
      tag: 'Administration',
      summary: 'List organisations',
      description: 'Staff see every organisation; customers their own; partners the ones they are linked to.',
      roles: EVERYONE,
      response: { status: 200, description: 'Organisations', schema: z.object({ items: z.array(OrganisationSchema) }) },
    },
    async ({ principal }) => {
      const orgs = visibleOrgIds(principal);
      if (orgs && orgs.length === 0) return { body: { items: [] } };
      const rows = await db
        .select()
        .from(organisations)
        .where(orgs ? inArray(organisations.id, orgs) : undefined)
        .orderBy(asc(organisations.name));
      return { body: { items: rows.map(organisationResource) } };
    },
  );

  defineRoute(
    api,
    {
      method: 'get',
      path: '/organisations/:id',
      tag: 'Administration',
      summary: 'Read an organisation',
      roles: EVERYONE,
      params: IdParams,
      response: { status: 200, description: 'The organisation', schema: OrganisationSchema },
      problems: [404],
    },
    async ({ params, principal }) => {
      const orgs = visibleOrgIds(principal);
      const [row] = await db.select().from(organisations).where(eq(organisations.id, params.id));
      if (!row || (orgs && !orgs.includes(row.id))) throw notFound('organisation');
      return { body: organisationResource(row) };
    },
  );

  defineRoute(
    api,
    {
      method: 'patch',
      path: '/organisations/:id',
      tag: 'Administration',
      summary: 'Update an organisation',
      description: 'Changes apply to cases opened afterwards; running cases keep the calendars they opened with.',
      roles: ADMIN,
      params: IdParams,
      body: UpdateOrganisationBody,
      response: { status: 200, description: 'Updated', schema: OrganisationSchema },
      problems: [404, 409, 422],
    },
    async ({ params, body }) => {
      const [current] = await db.select().from(organisations).where(eq(organisations.id, params.id));
      if (!current) throw notFound('organisation');
      checkOrganisation({ ...current, ...body });
      try {
        const [row] = await db
          .update(organisations)
          .set({ ...body, updatedAt: sql`now()` })
          .where(eq(organisations.id, params.id))
          .returning();
        return write({ body: organisationResource(row) });
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict('another organisation has this Support ID');
        throw err;
      }
    },
  );
}
