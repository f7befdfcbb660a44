/**
 * Partner links: a support partner sees and acts on the cases of the customer organisations it is linked to.
 * Links hang under the partner principal (`/principals/:id/links`).
 */
import { and, eq } from 'drizzle-orm';
import { organisations, partnerLinks, principals } from '../../../db/schema';
import { notFound, unprocessable } from '../../problem';
import { defineRoute } from '../../route';
import { PartnerLinkBody, PrincipalSchema } from '../../schemas/admin';
import { IdSchema } from '../../schemas/common';
import type { Services } from '../../services';
import { z } from '../../zod';
import { ADMIN, clearCachesOnWrite, IdParams, principalResource } from './shared';

export function registerPartnerLinkRoutes({ api, db, caches }: Services): void {
  const write = clearCachesOnWrite(caches);
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
}
