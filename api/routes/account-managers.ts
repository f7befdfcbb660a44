/**
 * The Premier Support Account Manager of an organisation: the vendor person who hears about its Severity 1
 * cases in the customer's business hours. Administrators set it; staff and the organisation read it.
 */
import { eq } from 'drizzle-orm';
import { PEOPLE, STAFF_ROLES } from '../../contract/roles';
import { accountManagers, organisations, principals } from '../../db/schema';
import type { Role } from '../../contract/case';
import { canSeeOrg } from '../principal';
import { notFound, unprocessable } from '../problem';
import { defineRoute } from '../route';
import { AccountManagerBody, AccountManagerSchema, OrgParams } from '../schemas/notifications';
import type { Services } from '../services';

const EVERYONE: readonly Role[] = PEOPLE;
const ADMIN: Role[] = ['admin'];
const VENDOR_ROLES: readonly Role[] = STAFF_ROLES;

export function registerAccountManagerRoutes({ api, db }: Services): void {
  async function current(orgId: string) {
    const [row] = await db
      .select({ id: principals.id, name: principals.name, email: principals.email })
      .from(accountManagers)
      .innerJoin(principals, eq(principals.id, accountManagers.principalId))
      .where(eq(accountManagers.orgId, orgId));
    return row ? { orgId, principal: row } : null;
  }

  defineRoute(
    api,
    {
      method: 'get',
      path: '/organisations/:id/account-manager',
      tag: 'Notifications',
      summary: 'Read the organisation’s Support Account Manager',
      roles: EVERYONE,
      params: OrgParams,
      response: { status: 200, description: 'The account manager', schema: AccountManagerSchema },
      problems: [404],
    },
    async ({ params, principal }) => {
      if (!canSeeOrg(principal, params.id)) throw notFound('organisation');
      const sam = await current(params.id);
      if (!sam) throw notFound('account manager');
      return { body: sam };
    },
  );

  defineRoute(
    api,
    {
      method: 'put',
      path: '/organisations/:id/account-manager',
      tag: 'Notifications',
      summary: 'Set the organisation’s Support Account Manager',
      roles: ADMIN,
      params: OrgParams,
      body: AccountManagerBody,
      response: { status: 200, description: 'Set', schema: AccountManagerSchema },
      problems: [404, 422],
    },
    async ({ params, body }) => {
      const [org] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, params.id));
      if (!org) throw notFound('organisation');
      const [p] = await db
        .select({ role: principals.role, disabledAt: principals.disabledAt })
        .from(principals)
        .where(eq(principals.id, body.principalId));
      if (!p || p.disabledAt) throw unprocessable('principalId', 'no such active principal');
      if (!VENDOR_ROLES.includes(p.role as Role))
        throw unprocessable('principalId', `an account manager is vendor staff (this principal is ${p.role})`);
      await db
        .insert(accountManagers)
        .values({ orgId: params.id, principalId: body.principalId })
        .onConflictDoUpdate({ target: accountManagers.orgId, set: { principalId: body.principalId } });
      return { body: (await current(params.id))! };
    },
  );

  defineRoute(
    api,
    {
      method: 'delete',
      path: '/organisations/:id/account-manager',
      tag: 'Notifications',
      summary: 'Remove the organisation’s Support Account Manager',
      roles: ADMIN,
      params: OrgParams,
      response: { status: 204, description: 'Removed' },
      problems: [404],
    },
    async ({ params }) => {
      const removed = await db
        .delete(accountManagers)
        .where(eq(accountManagers.orgId, params.id))
        .returning({ orgId: accountManagers.orgId });
      if (removed.length === 0) throw notFound('account manager');
      return { status: 204 };
    },
  );
}
