/**
 * An organisation's notification contacts: who besides the case opener hears about its cases, in which
 * language, for which notices. Administrators manage every organisation's; a customer case administrator
 * manages their own organisation's (they know who should be told). Staff may read them.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { notificationContacts, organisations } from '../../db/schema';
import type { Role } from '../../contract/case';
import { canSeeOrg, isStaff, type Principal } from '../principal';
import { conflict, forbidden, notFound } from '../problem';
import { defineRoute } from '../route';
import { ContactParams, ContactSchema, CreateContactBody, OrgParams, UpdateContactBody } from '../schemas/notifications';
import type { Services } from '../services';
import { isUniqueViolation } from '../../db/errors';
import { z } from '../zod';

const READERS: Role[] = ['admin', 'engineer', 'manager', 'case_admin', 'license_admin'];
const WRITERS: Role[] = ['admin', 'case_admin'];

type ContactRow = typeof notificationContacts.$inferSelect;
const contactResource = (c: ContactRow) => ({
  id: c.id,
  orgId: c.orgId,
  name: c.name,
  email: c.email,
  language: c.language,
  kinds: c.kinds ?? null,
  phone: c.phone,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

export function registerNotificationContactRoutes({ api, db }: Services): void {
  /** The organisation, if this principal may see it (404 otherwise, so nothing leaks); writers of another org get 403. */
  async function organisation(principal: Principal, orgId: string, write: boolean) {
    const [org] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, orgId));
    if (!org || !canSeeOrg(principal, orgId)) throw notFound('organisation');
    if (write && !isStaff(principal) && principal.orgId !== orgId) throw forbidden('only your own organisation’s contacts');
    return org;
  }

  defineRoute(
    api,
    {
      method: 'get',
      path: '/organisations/:id/notification-contacts',
      tag: 'Notifications',
      summary: 'List notification contacts',
      roles: READERS,
      params: OrgParams,
      response: { status: 200, description: 'Contacts', schema: z.object({ items: z.array(ContactSchema) }) },
      problems: [404],
    },
    async ({ params, principal }) => {
      await organisation(principal, params.id, false);
      const rows = await db
        .select()
        .from(notificationContacts)
        .where(eq(notificationContacts.orgId, params.id))
        .orderBy(asc(notificationContacts.name));
      return { body: { items: rows.map(contactResource) } };
    },
  );

  defineRoute(
    api,
    {
      method: 'post',
      path: '/organisations/:id/notification-contacts',
      tag: 'Notifications',
      summary: 'Add a notification contact',
      description:
        'Customer notices of the organisation’s cases also go to this address. Case administrators manage their own organisation’s contacts.',
      roles: WRITERS,
      params: OrgParams,
      body: CreateContactBody,
      response: { status: 201, description: 'Added', schema: ContactSchema },
      problems: [404, 409],
    },
    async ({ params, body, principal }) => {
      await organisation(principal, params.id, true);
      const [row] = await db
        .insert(notificationContacts)
        .values({
          id: randomUUID(),
          orgId: params.id,
          name: body.name,
          email: body.email.toLowerCase(),
          language: body.language ?? null,
          kinds: body.kinds ?? null,
          phone: body.phone ?? null,
        })
        .onConflictDoNothing()
        .returning();
      if (!row) throw conflict('this organisation already has a contact with this email');
      return { body: contactResource(row) };
    },
  );

  defineRoute(
    api,
    {
      method: 'patch',
      path: '/organisations/:id/notification-contacts/:contactId',
      tag: 'Notifications',
      summary: 'Change a notification contact',
      roles: WRITERS,
      params: ContactParams,
      body: UpdateContactBody,
      response: { status: 200, description: 'Changed', schema: ContactSchema },
      problems: [404, 409],
    },
    async ({ params, body, principal }) => {
      await organisation(principal, params.id, true);
      try {
        const [row] = await db
          .update(notificationContacts)
          .set({ ...body, ...(body.email ? { email: body.email.toLowerCase() } : {}), updatedAt: sql`now()` })
          .where(and(eq(notificationContacts.id, params.contactId), eq(notificationContacts.orgId, params.id)))
          .returning();
        if (!row) throw notFound('contact');
        return { body: contactResource(row) };
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict('this organisation already has a contact with this email');
        throw err;
      }
    },
  );

  defineRoute(
    api,
    {
      method: 'delete',
      path: '/organisations/:id/notification-contacts/:contactId',
      tag: 'Notifications',
      summary: 'Remove a notification contact',
      roles: WRITERS,
      params: ContactParams,
      response: { status: 204, description: 'Removed' },
      problems: [404],
    },
    async ({ params, principal }) => {
      await organisation(principal, params.id, true);
      const removed = await db
        .delete(notificationContacts)
        .where(and(eq(notificationContacts.id, params.contactId), eq(notificationContacts.orgId, params.id)))
        .returning({ id: notificationContacts.id });
      if (removed.length === 0) throw notFound('contact');
      return { status: 204 };
    },
  );
}
