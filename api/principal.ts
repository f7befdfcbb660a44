/** Who is calling, and which organisations' cases they may see. */
import type { Logger } from 'pino';
import type { Actor, Role } from '../contract/case';

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

export const STAFF_ROLES: Role[] = ['engineer', 'manager', 'admin'];
/** Who may open cases, by policy. */
export const CASE_OPENERS: Role[] = ['case_admin', 'license_admin', 'support_partner'];
export const CUSTOMER_SIDE: Role[] = [...CASE_OPENERS];

export const isStaff = (p: Principal): boolean => STAFF_ROLES.includes(p.role);

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
