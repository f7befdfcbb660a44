/** What the administration route modules share: the roles they admit, the id parameter and the principal resource. */
import type { principals } from '../../../db/schema';
import { PEOPLE } from '../../../contract/roles';
import type { Role } from '../../../contract/case';
import type { Caches } from '../../caches';
import { IdSchema } from '../../schemas/common';
import { z } from '../../zod';

export const ADMIN: Role[] = ['admin'];
export const EVERYONE: readonly Role[] = PEOPLE;

export const IdParams = z.strictObject({ id: IdSchema });

/** Every administration write clears this instance's caches before answering. */
export function clearCachesOnWrite(caches: Caches): <T>(reply: T) => T {
  return (reply) => {
    caches.clear();
    return reply;
  };
}

type PrincipalRow = typeof principals.$inferSelect;

export const principalResource = (p: PrincipalRow, linkedOrgIds?: string[]) => ({
  id: p.id,
  name: p.name,
  email: p.email,
  role: p.role,
  orgId: p.orgId,
  homeRegion: p.homeRegion,
  managerLevel: p.managerLevel,
  timeZone: p.timeZone,
  phone: p.phone,
  disabled: p.disabledAt !== null,
  ...(linkedOrgIds ? { linkedOrgIds } : {}),
  createdAt: p.createdAt.toISOString(),
});
