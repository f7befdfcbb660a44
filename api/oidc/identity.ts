/**
 * Who an OpenID identity is here. Identities map to principals by issuer + subject (table identities). The
 * first sign-in of an identity links it by the provider's *verified* email to a principal an administrator
 * created; nobody signs up by signing in. A provider serves its audience only (a staff provider never signs
 * in a customer, and the other way round). Roles: a customer-side principal keeps its role, organisation and
 * partner links as the administrator set them; a staff principal's role follows the staff provider's group
 * claim when a mapping is configured (the directory decides, the user cannot), otherwise it is the stored one.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { identities, principals } from '../../db/schema';
import type { Role } from '../../contract/case';
import { CUSTOMER_SIDE, STAFF_ROLES } from '../principal';
import type { OidcProviderSettings } from './types';

export type Claims = Record<string, unknown> & { iss: string; sub: string };

/** Highest first: a user in several mapped groups gets the strongest of their roles. */
const STAFF_RANK: Role[] = ['admin', 'manager', 'engineer'];

export class SignInRefused extends Error {}

function fitsAudience(settings: OidcProviderSettings, role: Role): boolean {
  if (settings.audience === 'all') return true;
  return settings.audience === 'staff' ? STAFF_ROLES.includes(role) : CUSTOMER_SIDE.includes(role);
}

/** The staff role the claim grants (undefined: no mapping or no claim; null: claim present, no mapped group). */
export function roleFromClaims(settings: OidcProviderSettings, claims: Claims): Role | null | undefined {
  if (!settings.roleMap || Object.keys(settings.roleMap).length === 0) return undefined;
  const raw = claims[settings.roleClaim ?? 'groups'];
  if (raw === undefined) return undefined;
  const groups = (Array.isArray(raw) ? raw : [raw]).filter((g): g is string => typeof g === 'string');
  // Keycloak's group mapper may send full paths (/support/managers): match the path and its last segment.
  const granted = new Set<Role>();
  for (const g of groups) {
    for (const name of [g, g.replace(/^.*\//, '')]) {
      const role = settings.roleMap[name];
      if (role) granted.add(role);
    }
  }
  return STAFF_RANK.find((r) => granted.has(r)) ?? null;
}

/** The principal id this identity signs in as (linking it on first sign-in), or SignInRefused saying why. */
export async function principalForIdentity(db: Db, settings: OidcProviderSettings, claims: Claims): Promise<string> {
  const [linked] = await db
    .select({ principalId: identities.principalId })
    .from(identities)
    .where(and(eq(identities.issuer, claims.iss), eq(identities.subject, claims.sub)));
  let principalId = linked?.principalId;
  if (!principalId) {
    const email = typeof claims.email === 'string' ? claims.email.trim() : '';
    if (!email || claims.email_verified !== true)
      throw new SignInRefused(
        'the identity provider did not confirm a verified email address, so this sign-in cannot be linked to an account',
      );
    const [candidate] = await db
      .select({ id: principals.id, role: principals.role })
      .from(principals)
      .where(sql`lower(${principals.email}) = lower(${email})`);
    if (!candidate) throw new SignInRefused(`there is no Caseflow account for ${email}: ask an administrator to create one`);
    if (!fitsAudience(settings, candidate.role as Role))
      throw new SignInRefused(`the account for ${email} does not sign in through ${settings.label}`);
    const [other] = await db
      .select({ subject: identities.subject })
      .from(identities)
      .where(and(eq(identities.issuer, claims.iss), eq(identities.principalId, candidate.id)));
    if (other) throw new SignInRefused(`the account for ${email} is already linked to another identity at this provider`);
    await db
      .insert(identities)
      .values({ issuer: claims.iss, subject: claims.sub, principalId: candidate.id, linkedEmail: email })
      .onConflictDoNothing();
    principalId = candidate.id;
  }
  const [principal] = await db.select().from(principals).where(eq(principals.id, principalId));
  if (!principal || principal.disabledAt) throw new SignInRefused('this account is disabled');
  const role = principal.role as Role;
  if (!fitsAudience(settings, role)) throw new SignInRefused(`this account does not sign in through ${settings.label}`);
  if (STAFF_ROLES.includes(role)) {
    const granted = roleFromClaims(settings, claims);
    if (granted === null) throw new SignInRefused('your directory groups grant no Caseflow role');
    if (granted && granted !== role) {
      await db
        .update(principals)
        .set({ role: granted, managerLevel: granted === 'manager' ? (principal.managerLevel ?? 1) : principal.managerLevel })
        .where(eq(principals.id, principalId));
    }
  }
  await db
    .update(identities)
    .set({ lastLoginAt: sql`now()` })
    .where(and(eq(identities.issuer, claims.iss), eq(identities.subject, claims.sub)));
  return principalId;
}
