/** Who is calling, and which organisations' cases they may see. */
import type { Logger } from 'pino';
import type { Actor, Role } from '../contract/case';
import { CUSTOMER_ROLES, isStaffRole, STAFF_ROLES as STAFF } from '../contract/roles';

export interface Principal {
  id: string;
  name: string;
  role: Role;
  orgId: string | null;
  homeRegion: string | null;
  managerLevel: number | null;
  tokenId: string;
  /** Support partners: the customer organisations they act for. */
  linkedOrgIds: string[];
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      id: string;
      log: Logger;
      principal?: Principal;
    }
  }
}

/** Role groups are contract/roles.ts's; these names stay for the routes that use them. */
export const STAFF_ROLES: readonly Role[] = STAFF;
/** Who may open cases, by policy: the customer side. */
export const CASE_OPENERS: readonly Role[] = CUSTOMER_ROLES;
export const CUSTOMER_SIDE: readonly Role[] = CUSTOMER_ROLES;

export const isStaff = (p: Principal): boolean => isStaffRole(p.role);

/** null = every organisation (vendor staff). */
export function visibleOrgIds(p: Principal): string[] | null {
  if (isStaff(p)) return null;
  if (p.role === 'support_partner') return p.linkedOrgIds;
  return p.orgId ? [p.orgId] : [];
}

export function canSeeOrg(p: Principal, orgId: string): boolean {
  const orgs = visibleOrgIds(p);
  return orgs === null || orgs.includes(orgId);
}

export const actorOf = (p: Principal): Actor => ({ id: p.id, role: p.role, name: p.name });
