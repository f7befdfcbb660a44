/** Administration endpoints: organisations, principals and their tokens, partner links, products. */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { apiTokens, organisations, partnerLinks, principals, products, productVersions } from '../../db/schema';
import type { Role } from '../../contract/case';
import { isUniqueViolation } from '../../db/errors';
import { languageProblem } from '../policy-checks';
import { visibleOrgIds } from '../principal';
import { conflict, notFound, unprocessable } from '../problem';
import { defineRoute } from '../route';
import {
  CreateOrganisationBody,
  CreatePrincipalBody,
  CreateProductBody,
  CreateVersionBody,
  isKnownSubdivision,
  IssueTokenBody,
  IssuedTokenSchema,
  OrganisationSchema,
  PartnerLinkBody,
  PrincipalSchema,
  ProductSchema,
  UpdateOrganisationBody,
  UpdatePrincipalBody,
  UpdateVersionBody,
} from '../schemas/admin';
import { IdSchema } from '../schemas/common';
import type { Services } from '../services';
import { hashToken, newToken } from '../tokens';
import { z } from '../zod';

const ADMIN: Role[] = ['admin'];
const EVERYONE: Role[] = ['case_admin', 'license_admin', 'support_partner', 'engineer', 'manager', 'admin'];

type OrgRow = typeof organisations.$inferSelect;
type PrincipalRow = typeof principals.$inferSelect;

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

const principalResource = (p: PrincipalRow, linkedOrgIds?: string[]) => ({
  id: p.id,
  name: p.name,
  email: p.email,
  role: p.role,
  orgId: p.orgId,
  homeRegion: p.homeRegion,
  managerLevel: p.managerLevel,
  disabled: p.disabledAt !== null,
  ...(linkedOrgIds ? { linkedOrgIds } : {}),
  createdAt: p.createdAt.toISOString(),
});

/** Cross-field rules zod cannot see alone: language of the region, subdivision of the country. */
function checkOrganisation(o: { marketRegion: string; language: string; country: string; subdivision?: string | null }): void {
  const language = languageProblem(o.marketRegion, o.language);
  if (language) throw unprocessable('language', language);
  if (o.subdivision && !isKnownSubdivision(o.country, o.subdivision)) {
    throw unprocessable('subdivision', `no holiday data for subdivision ${o.subdivision} of ${o.country}`);
  }
}

const IdParams = z.strictObject({ id: IdSchema });

export function registerAdminRoutes({ api, db, caches }: Services): void {
  /** Every administration write clears this instance's caches before answering. */
  const write = <T>(reply: T): T => {
    caches.clear();
    return reply;
  };
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

  defineRoute(
    api,
    {
      method: 'post',
      path: '/principals',
      tag: 'Administration',
      summary: 'Register a principal',
      roles: ADMIN,
      body: CreatePrincipalBody,
      response: { status: 201, description: 'Registered', schema: PrincipalSchema },
      problems: [409, 422],
    },
    async ({ body }) => {
      const customer = body.role === 'case_admin' || body.role === 'license_admin';
      if (customer && !body.orgId) throw unprocessable('orgId', `a ${body.role} belongs to an organisation`);
      if (!customer && body.orgId)
        throw unprocessable('orgId', `a ${body.role} belongs to no customer organisation (partners are linked instead)`);
      if (body.role === 'engineer' && !body.homeRegion) throw unprocessable('homeRegion', 'engineers need a follow-the-sun home region');
      if (body.role !== 'engineer' && body.homeRegion) throw unprocessable('homeRegion', 'only engineers have a home region');
      if (body.role === 'manager' && !body.managerLevel) throw unprocessable('managerLevel', 'managers need a level (1 = duty manager)');
      if (body.role !== 'manager' && body.managerLevel) throw unprocessable('managerLevel', 'only managers have a level');
      if (body.orgId) {
        const [org] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, body.orgId));
        if (!org) throw unprocessable('orgId', 'no such organisation');
      }
      const [row] = await db
        .insert(principals)
        .values({
          id: body.id ?? randomUUID(),
          name: body.name,
          email: body.email.toLowerCase(),
          role: body.role,
          orgId: body.orgId ?? null,
          homeRegion: body.homeRegion ?? null,
          managerLevel: body.managerLevel ?? null,
        })
        .onConflictDoNothing()
        .returning();
      if (!row) throw conflict('a principal with this id or email exists');
      return write({ body: principalResource(row, body.role === 'support_partner' ? [] : undefined) });
    },
  );

  defineRoute(
    api,
    {
      method: 'get',
      path: '/principals',
      tag: 'Administration',
      summary: 'List principals',
      roles: ADMIN,
      query: z.strictObject({ orgId: IdSchema.optional(), role: CreatePrincipalBody.shape.role.optional() }),
      response: { status: 200, description: 'Principals', schema: z.object({ items: z.array(PrincipalSchema) }) },
    },
    async ({ query }) => {
      const rows = await db
        .select()
        .from(principals)
        .where(and(query.orgId ? eq(principals.orgId, query.orgId) : undefined, query.role ? eq(principals.role, query.role) : undefined))
        .orderBy(asc(principals.name));
      return { body: { items: rows.map((r) => principalResource(r)) } };
    },
  );

  defineRoute(
    api,
    {
      method: 'patch',
      path: '/principals/:id',
      tag: 'Administration',
      summary: 'Update or disable a principal',
      roles: ADMIN,
      params: IdParams,
      body: UpdatePrincipalBody,
      response: { status: 200, description: 'Updated', schema: PrincipalSchema },
      problems: [404, 422],
    },
    async ({ params, body }) => {
      const [current] = await db.select().from(principals).where(eq(principals.id, params.id));
      if (!current) throw notFound('principal');
      if (body.homeRegion && current.role !== 'engineer') throw unprocessable('homeRegion', 'only engineers have a home region');
      if (body.managerLevel && current.role !== 'manager') throw unprocessable('managerLevel', 'only managers have a level');
      const { disabled, ...rest } = body;
      const disabledAt = disabled === undefined ? {} : { disabledAt: disabled ? (current.disabledAt ?? new Date()) : null };
      const [row] = await db
        .update(principals)
        .set({ ...rest, ...disabledAt })
        .where(eq(principals.id, params.id))
        .returning();
      return write({ body: principalResource(row) });
    },
  );

  defineRoute(
    api,
    {
      method: 'post',
      path: '/principals/:id/tokens',
      tag: 'Administration',
      summary: 'Issue an API token',
      description: 'The plaintext token is in this response only; the server keeps its SHA-256.',
      roles: ADMIN,
      params: IdParams,
      body: IssueTokenBody,
      response: { status: 201, description: 'Issued', schema: IssuedTokenSchema },
      problems: [404, 422],
    },
    async ({ params, body }) => {
      const [owner] = await db.select().from(principals).where(eq(principals.id, params.id));
      if (!owner) throw notFound('principal');
      if (owner.disabledAt) throw unprocessable('id', 'the principal is disabled', 'path');
      const token = newToken();
      const [row] = await db
        .insert(apiTokens)
        .values({ id: randomUUID(), principalId: owner.id, tokenHash: hashToken(token), label: body.label ?? null })
        .returning();
      return write({ body: { id: row.id, principalId: row.principalId, label: row.label, token, createdAt: row.createdAt.toISOString() } });
    },
  );

  defineRoute(
    api,
    {
      method: 'delete',
      path: '/principals/:id/tokens/:tokenId',
      tag: 'Administration',
      summary: 'Revoke an API token',
      roles: ADMIN,
      params: z.strictObject({ id: IdSchema, tokenId: IdSchema }),
      response: { status: 204, description: 'Revoked (also when it already was)' },
      problems: [404],
    },
    async ({ params }) => {
      const [row] = await db
        .update(apiTokens)
        .set({ revokedAt: sql`coalesce(${apiTokens.revokedAt}, now())` })
        .where(and(eq(apiTokens.id, params.tokenId), eq(apiTokens.principalId, params.id)))
        .returning({ id: apiTokens.id });
      if (!row) throw notFound('token');
      return write({ status: 204 });
    },
  );

  defineRoute(
    api,
    {
      method: 'post',
      path: '/principals/:id/links',
      tag: 'Administration',
      summary: 'Link a support partner to a customer organisation',
      roles: ADMIN,
      params: IdParams,
      body: PartnerLinkBody,
      response: { status: 201, description: 'Linked (also when it already was)', schema: PrincipalSchema },
      problems: [404, 422],
    },
    async ({ params, body }) => {
      const [partner] = await db.select().from(principals).where(eq(principals.id, params.id));
      if (!partner) throw notFound('principal');
      if (partner.role !== 'support_partner') throw unprocessable('id', 'only support partners are linked to organisations', 'path');
      const [org] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, body.orgId));
      if (!org) throw unprocessable('orgId', 'no such organisation');
      await db.insert(partnerLinks).values({ partnerId: partner.id, orgId: org.id }).onConflictDoNothing();
      return write({ body: principalResource(partner, await linkedOrgs(partner.id)) });
    },
  );

  defineRoute(
    api,
    {
      method: 'delete',
      path: '/principals/:id/links/:orgId',
      tag: 'Administration',
      summary: 'Unlink a support partner from an organisation',
      roles: ADMIN,
      params: z.strictObject({ id: IdSchema, orgId: IdSchema }),
      response: { status: 204, description: 'Unlinked' },
      problems: [404],
    },
    async ({ params }) => {
      const removed = await db
        .delete(partnerLinks)
        .where(and(eq(partnerLinks.partnerId, params.id), eq(partnerLinks.orgId, params.orgId)))
        .returning({ orgId: partnerLinks.orgId });
      if (removed.length === 0) throw notFound('partner link');
      return write({ status: 204 });
    },
  );

  async function linkedOrgs(partnerId: string): Promise<string[]> {
    const rows = await db.select({ orgId: partnerLinks.orgId }).from(partnerLinks).where(eq(partnerLinks.partnerId, partnerId));
    return rows.map((r) => r.orgId).sort();
  }

  defineRoute(
    api,
    {
      method: 'post',
      path: '/products',
      tag: 'Products',
      summary: 'Register a product',
      roles: ADMIN,
      body: CreateProductBody,
      response: { status: 201, description: 'Registered', schema: ProductSchema },
      problems: [409],
    },
    async ({ body }) => {
      const [row] = await db.insert(products).values(body).onConflictDoNothing().returning();
      if (!row) throw conflict('a product with this id exists');
      return write({ body: { id: row.id, name: row.name, versions: [] } });
    },
  );

  defineRoute(
    api,
    {
      method: 'get',
      path: '/products',
      tag: 'Products',
      summary: 'List products and their versions',
      roles: EVERYONE,
      response: { status: 200, description: 'Products', schema: z.object({ items: z.array(ProductSchema) }) },
    },
    async () => {
      const rows = await db.select().from(products).orderBy(asc(products.name));
      const versions = await db.select().from(productVersions).orderBy(asc(productVersions.productId), asc(productVersions.version));
      return {
        body: {
          items: rows.map((p) => ({
            id: p.id,
            name: p.name,
            versions: versions
              .filter((v) => v.productId === p.id)
              .map((v) => ({ version: v.version, lifecycle: v.lifecycle, latestBuild: v.latestBuild })),
          })),
        },
      };
    },
  );

  defineRoute(
    api,
    {
      method: 'post',
      path: '/products/:id/versions',
      tag: 'Products',
      summary: 'Register a product version',
      roles: ADMIN,
      params: IdParams,
      body: CreateVersionBody,
      response: { status: 201, description: 'Registered', schema: ProductSchema.shape.versions.element },
      problems: [404, 409],
    },
    async ({ params, body }) => {
      const [product] = await db.select({ id: products.id }).from(products).where(eq(products.id, params.id));
      if (!product) throw notFound('product');
      const [row] = await db
        .insert(productVersions)
        .values({ productId: product.id, ...body })
        .onConflictDoNothing()
        .returning();
      if (!row) throw conflict(`version ${body.version} exists`);
      return write({ body: { version: row.version, lifecycle: row.lifecycle, latestBuild: row.latestBuild } });
    },
  );

  defineRoute(
    api,
    {
      method: 'patch',
      path: '/products/:id/versions/:version',
      tag: 'Products',
      summary: 'Update a version (lifecycle, latest public build)',
      description: 'A new latest build changes hotfix eligibility of cases opened afterwards.',
      roles: ADMIN,
      params: z.strictObject({ id: IdSchema, version: CreateVersionBody.shape.version }),
      body: UpdateVersionBody,
      response: { status: 200, description: 'Updated', schema: ProductSchema.shape.versions.element },
      problems: [404],
    },
    async ({ params, body }) => {
      const where = and(eq(productVersions.productId, params.id), eq(productVersions.version, params.version));
      const [row] =
        Object.keys(body).length > 0
          ? await db.update(productVersions).set(body).where(where).returning()
          : await db.select().from(productVersions).where(where);
      if (!row) throw notFound('product version');
      return write({ body: { version: row.version, lifecycle: row.lifecycle, latestBuild: row.latestBuild } });
    },
  );
}
