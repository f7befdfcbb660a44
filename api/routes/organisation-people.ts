/**
 * Who staff can reach at a customer: the organisation's own people (case and license administrators) and
 * the support partners who act for it, with e-mail and phone. Staff read it on a case page (who is the
 * customer, who opened the case, whether a partner acts for them); customers manage nobody here.
 */
import { and, asc, eq, inArray, isNull, or } from 'drizzle-orm';
import { CUSTOMER_ROLES, STAFF_ROLES } from '../../contract/roles';
import { organisations, partnerLinks, principals } from '../../db/schema';
import { notFound } from '../problem';
import { defineRoute } from '../route';
import { OrgParams } from '../schemas/notifications';
import type { Services } from '../services';
import { z } from '../zod';

const PersonSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    phone: z.string().nullable(),
    role: z.string().openapi({ description: 'case_admin, license_admin or support_partner' }),
    partner: z.boolean().openapi({ description: 'a support partner acting on behalf of this organisation' }),
  })
  .openapi('CustomerPerson');

export function registerOrganisationPeopleRoutes({ api, db }: Services): void {
  defineRoute(
    api,
    {
      method: 'get',
      path: '/organisations/:id/people',
      tag: 'Notifications',
      summary: 'List the people of a customer organisation and its partners',
      description: 'Enabled case and license administrators of the organisation, then the support partners linked to it.',
      roles: STAFF_ROLES,
      params: OrgParams,
      response: { status: 200, description: 'People', schema: z.object({ items: z.array(PersonSchema) }) },
      problems: [404],
    },
    async ({ params }) => {
      const [org] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, params.id));
      if (!org) throw notFound('organisation');
      const partnerIds = db.select({ id: partnerLinks.partnerId }).from(partnerLinks).where(eq(partnerLinks.orgId, params.id));
      const rows = await db
        .select({ id: principals.id, name: principals.name, email: principals.email, phone: principals.phone, role: principals.role })
        .from(principals)
        .where(
          and(
            isNull(principals.disabledAt),
            or(and(eq(principals.orgId, params.id), inArray(principals.role, [...CUSTOMER_ROLES])), inArray(principals.id, partnerIds)),
          ),
        )
        .orderBy(asc(principals.name));
      const items = rows.map((r) => ({ ...r, partner: r.role === 'support_partner' }));
      // The organisation's own people first, then its partners.
      items.sort((a, b) => Number(a.partner) - Number(b.partner));
      return { body: { items } };
    },
  );
}
