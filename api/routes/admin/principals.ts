/**
 * Principals (customers, partners, engineers, managers, administrators) and their API tokens: register,
 * list, update or disable a principal; issue a token (its plaintext is in that response only) and revoke it.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { apiTokens, organisations, principals } from '../../../db/schema';
import { conflict, notFound, unprocessable } from '../../problem';
import { defineRoute } from '../../route';
import { CreatePrincipalBody, IssueTokenBody, IssuedTokenSchema, PrincipalSchema, UpdatePrincipalBody } from '../../schemas/admin';
import { IdSchema } from '../../schemas/common';
import type { Services } from '../../services';
import { revokeSessionsOf } from '../../session/store';
import { hashToken, newToken } from '../../tokens';
import { z } from '../../zod';
import { ADMIN, clearCachesOnWrite, IdParams, principalResource } from './shared';

export function registerPrincipalRoutes({ api, db, caches }: Services): void {
  const write = clearCachesOnWrite(caches);
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
          timeZone: body.timeZone ?? null,
          phone: body.phone ?? null,
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
      const changes = { ...rest, ...disabledAt };
      // An empty PATCH changes nothing (drizzle refuses an UPDATE without columns).
      if (Object.keys(changes).length === 0) return { body: principalResource(current) };
      const [row] = await db.update(principals).set(changes).where(eq(principals.id, params.id)).returning();
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
      method: 'delete',
      path: '/principals/:id/sessions',
      tag: 'Administration',
      summary: "End a person's sessions",
      description:
        'Signs the principal out everywhere: every open console session (OpenID Connect sign-in) ends, and its event ' +
        'streams close within a second on every instance. API tokens are not affected (revoke those one by one).',
      roles: ADMIN,
      params: IdParams,
      response: { status: 204, description: 'Ended (also when there was none)' },
      problems: [404],
    },
    async ({ params }) => {
      const [owner] = await db.select({ id: principals.id }).from(principals).where(eq(principals.id, params.id));
      if (!owner) throw notFound('principal');
      await revokeSessionsOf(db, params.id);
      return write({ status: 204 });
    },
  );
}
