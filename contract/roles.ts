/**
 * Every role and role group, once. The API admits a route's roles from here, the case machine checks a
 * command's roles from here (through contract/commands.ts), and the console reads what a caller may do from
 * the API's answer instead of copying these tables.
 */
export const ROLES = ['case_admin', 'license_admin', 'support_partner', 'engineer', 'manager', 'admin', 'system', 'mail_gateway'] as const;

/**
 * `system` is the case itself (timers); `mail_gateway` is a hosted inbound-mail service posting raw messages
 * to POST /v1/inbound-mail, which acts on no case itself.
 */
export type Role = (typeof ROLES)[number];

/** The customer side: who may open cases by policy (case and license administrators, support partners). */
export const CUSTOMER_ROLES = ['case_admin', 'license_admin', 'support_partner'] as const satisfies readonly Role[];
/** Vendor staff: they see every organisation's cases. */
export const STAFF_ROLES = ['engineer', 'manager', 'admin'] as const satisfies readonly Role[];
/** Staff who work cases (an administrator runs the platform, not cases). */
export const CASE_WORKERS = ['engineer', 'manager'] as const satisfies readonly Role[];
/** Every person who signs in (not the case itself, not a mail gateway). */
export const PEOPLE = [...CUSTOMER_ROLES, ...STAFF_ROLES] as const satisfies readonly Role[];
/** Roles an administrator may give a principal. */
export const ASSIGNABLE_ROLES = [...PEOPLE, 'mail_gateway'] as const satisfies readonly Role[];

export const isStaffRole = (role: Role): boolean => (STAFF_ROLES as readonly Role[]).includes(role);
export const isCustomerRole = (role: Role): boolean => (CUSTOMER_ROLES as readonly Role[]).includes(role);
