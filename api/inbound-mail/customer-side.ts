/**
 * Is a mail sender on the customer side of a case? A principal of the case's organisation with a customer
 * role (case_admin, license_admin), or a support partner linked to that organisation, matched by email
 * address case-insensitively; disabled principals are strangers. Failing those, a notification contact who
 * receives the case's customer mail (the organisation's, or a linked partner organisation's): the reply
 * address reached them, so their answer is the customer's answer.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { partnerLinks, principals } from '../../db/schema';
import { caseContacts } from '../../activities/mail/recipients';
import type { Actor, Role } from '../../contract/case';

const ORG_ROLES: Role[] = ['case_admin', 'license_admin'];

export async function customerSideActor(db: Db, orgId: string, email: string): Promise<Actor | null> {
  const candidates = await db
    .select({ id: principals.id, name: principals.name, role: principals.role, orgId: principals.orgId })
    .from(principals)
    .where(and(sql`lower(${principals.email}) = ${email.toLowerCase()}`, isNull(principals.disabledAt)));
  for (const p of candidates) {
    const role = p.role as Role;
    if (ORG_ROLES.includes(role) && p.orgId === orgId) return { id: p.id, role, name: p.name };
    if (role === 'support_partner') {
      const [link] = await db
        .select({ orgId: partnerLinks.orgId })
        .from(partnerLinks)
        .where(and(eq(partnerLinks.partnerId, p.id), eq(partnerLinks.orgId, orgId)));
      if (link) return { id: p.id, role, name: p.name };
    }
  }
  return contactActor(db, orgId, email);
}

/**
 * A contact is no principal: the audit trail names it as `contact:<contact id>`. It acts with the customer
 * reply right of a case administrator, and the inbound path can do nothing but apply a customer reply.
 */
async function contactActor(db: Db, orgId: string, email: string): Promise<Actor | null> {
  const address = email.toLowerCase();
  // A contact who chose no kinds at all receives no case mail, so has no reply address to answer.
  const contact = (await caseContacts(db, orgId)).find(
    (c) => c.email.toLowerCase() === address && (c.kinds === null || c.kinds.length > 0),
  );
  return contact
    ? { id: `contact:${contact.id}`, role: 'case_admin', name: `${contact.name} <${contact.email}> (notification contact)` }
    : null;
}
