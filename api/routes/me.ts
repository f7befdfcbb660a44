/** Who the bearer token belongs to: the console's first call, so it shows the views the role may use. */
import { CASE_OPENERS, STAFF_ROLES } from '../principal';
import { defineRoute } from '../route';
import type { Services } from '../services';
import { z } from '../zod';

const MeSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.string(),
    orgId: z.string().nullable(),
    homeRegion: z.string().nullable(),
    managerLevel: z.number().int().nullable(),
    linkedOrgIds: z.array(z.string()).openapi({ description: 'support partners: the organisations they act for' }),
  })
  .openapi('Me');

export function registerMeRoutes({ api }: Services): void {
  defineRoute(
    api,
    {
      method: 'get',
      path: '/me',
      tag: 'Administration',
      summary: 'The calling principal',
      roles: [...CASE_OPENERS, ...STAFF_ROLES],
      response: { status: 200, description: 'Who the token belongs to', schema: MeSchema },
    },
    async ({ principal }) => ({
      body: {
        id: principal.id,
        name: principal.name,
        role: principal.role,
        orgId: principal.orgId,
        homeRegion: principal.homeRegion,
        managerLevel: principal.managerLevel,
        linkedOrgIds: principal.linkedOrgIds,
      },
    }),
  );
}
