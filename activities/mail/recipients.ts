/**
 * Who an outbox row reaches, decided at delivery time: the workflow names a role (`customer:<org>`,
 * `engineer:<id>`, `oncall:<region>`, `queue:<market region>`, `manager:duty`, `manager:level<N>`,
 * `sam:<org>`) and this module expands it into people with an address and a language, from the
 * current rota, contacts and principals. The rules per notice kind are tabled in docs/notifications.md.
 */
import { and, eq, gt, inArray, isNotNull, isNull, lte, or, desc } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { parseRecipient } from '../../contract/notices';
import { isStaffRole, type Role } from '../../contract/roles';
import { accountManagers, notificationContacts, oncallShifts, partnerLinks, principals } from '../../db/schema';

export type Audience = 'customer' | 'staff';

export interface Person {
  address: string;
  name: string;
  principalId: string | null;
  audience: Audience;
  language: string;
}

/** Notices a customer can receive; a contact's `kinds` is a subset of these (null = all). */
export { CUSTOMER_NOTICE_KINDS, type CustomerNoticeKind } from '../../contract/notices';

export interface NoticeToResolve {
  kind: string;
  recipient: string;
  payload: Record<string, unknown>;
}

export interface CaseParties {
  orgId: string;
  openedBy: string;
  /** The case's language: customer mail is written in it unless a contact chose another. */
  language: string;
}

const SUN_REGION_OF_MARKET: Record<string, string> = { US: 'AMERICAS', CA: 'AMERICAS', LATAM: 'AMERICAS', EMEA: 'EMEA', APAC: 'APAC' };

export async function resolveRecipients(db: Db, notice: NoticeToResolve, parties: CaseParties, now: Date): Promise<Person[]> {
  const people = await expand(db, notice.recipient, notice.kind, parties, now);
  // A customer who asked for a manager is told the request arrived (the managers get the staff notice).
  if (notice.kind === 'manager_escalation' && notice.payload.level === 1) {
    people.push(...(await customerSide(db, parties, 'manager_request_ack')));
  }
  return unique(people);
}

async function expand(db: Db, recipient: string, kind: string, parties: CaseParties, now: Date): Promise<Person[]> {
  // The stored form is contract/notices.ts's; anything else reaches nobody.
  const r = parseRecipient(recipient);
  if (!r) return [];
  switch (r.to) {
    case 'customer':
      return customerSide(db, { ...parties, orgId: r.orgId }, kind);
    case 'engineer':
      return staff(db, eq(principals.id, r.id));
    case 'oncall':
      // `oncall:<region>:fallback`: the next one in a page's escalation chain.
      return r.fallback ? onCallFallback(db, r.region, now) : onCall(db, r.region, now);
    case 'queue':
      return onCall(db, SUN_REGION_OF_MARKET[r.region] ?? r.region, now);
    case 'manager':
      return staff(db, and(eq(principals.role, 'manager'), eq(principals.managerLevel, r.level)));
    case 'sam': {
      const [sam] = await db.select({ id: accountManagers.principalId }).from(accountManagers).where(eq(accountManagers.orgId, r.orgId));
      return sam ? staff(db, eq(principals.id, sam.id)) : [];
    }
  }
}

/** Customer side: the opener (if a customer-side person), the organisation's contacts who want this kind, linked partners. */
async function customerSide(db: Db, parties: CaseParties, kind: string): Promise<Person[]> {
  const out: Person[] = [];
  const [opener] = await db
    .select()
    .from(principals)
    .where(and(eq(principals.id, parties.openedBy), isNull(principals.disabledAt)));
  if (opener && !isStaffRole(opener.role as Role)) {
    out.push({ address: opener.email, name: opener.name, principalId: opener.id, audience: 'customer', language: parties.language });
  }
  for (const c of await caseContacts(db, parties.orgId)) {
    if (c.kinds && !c.kinds.includes(kind)) continue;
    out.push({ address: c.email, name: c.name, principalId: null, audience: 'customer', language: c.language ?? parties.language });
  }
  const partners = await db
    .select({ id: principals.id, name: principals.name, email: principals.email })
    .from(partnerLinks)
    .innerJoin(principals, eq(principals.id, partnerLinks.partnerId))
    .where(and(eq(partnerLinks.orgId, parties.orgId), isNull(principals.disabledAt)));
  for (const p of partners)
    out.push({ address: p.email, name: p.name, principalId: p.id, audience: 'customer', language: parties.language });
  return out;
}

export type NotificationContact = typeof notificationContacts.$inferSelect;

/**
 * The notification contacts of a case's customer side: the organisation's own, and those of the
 * organisations of support partners linked to it. The same list decides who is mailed and whose email
 * replies are accepted (api/inbound-mail/customer-side.ts), so the two cannot drift apart.
 */
export async function caseContacts(db: Db, orgId: string): Promise<NotificationContact[]> {
  const partnerOrgs = db
    .select({ orgId: principals.orgId })
    .from(partnerLinks)
    .innerJoin(principals, eq(principals.id, partnerLinks.partnerId))
    .where(
      and(
        eq(partnerLinks.orgId, orgId),
        eq(principals.role, 'support_partner'),
        isNotNull(principals.orgId),
        isNull(principals.disabledAt),
      ),
    );
  return db
    .select()
    .from(notificationContacts)
    .where(or(eq(notificationContacts.orgId, orgId), inArray(notificationContacts.orgId, partnerOrgs)))
    .orderBy(notificationContacts.id);
}

async function staff(db: Db, where: ReturnType<typeof and>): Promise<Person[]> {
  const rows = await db
    .select({ id: principals.id, name: principals.name, email: principals.email })
    .from(principals)
    .where(and(where, isNull(principals.disabledAt)));
  return rows.map((p) => ({ address: p.email, name: p.name, principalId: p.id, audience: 'staff' as const, language: 'en' }));
}

/**
 * The region's on-call engineer now: the primary of the newest shift in force, its fallback when the
 * primary is disabled or gone; with no shift in force, every active engineer whose home region it is.
 */
export async function onCall(db: Db, region: string, now: Date): Promise<Person[]> {
  const shift = await shiftInForce(db, region, now);
  if (!shift) return staff(db, and(eq(principals.role, 'engineer'), eq(principals.homeRegion, region)));
  const primary = await staff(db, eq(principals.id, shift.primaryId));
  if (primary.length > 0 || !shift.fallbackId) return primary;
  return staff(db, eq(principals.id, shift.fallbackId));
}

/** The newest shift of the region valid at `now`. */
async function shiftInForce(db: Db, region: string, now: Date) {
  const [shift] = await db
    .select()
    .from(oncallShifts)
    .where(
      and(
        eq(oncallShifts.region, region),
        lte(oncallShifts.validFrom, now),
        or(isNull(oncallShifts.validTo), gt(oncallShifts.validTo, now)),
      ),
    )
    .orderBy(desc(oncallShifts.validFrom))
    .limit(1);
  return shift;
}

/**
 * Whom an unacknowledged page escalates to first: the fallback of the region's shift in force; with no
 * shift or no fallback, every active engineer of the region (the duty manager is the chain's next step).
 */
export async function onCallFallback(db: Db, region: string, now: Date): Promise<Person[]> {
  const shift = await shiftInForce(db, region, now);
  const fallback = shift?.fallbackId ? await staff(db, eq(principals.id, shift.fallbackId)) : [];
  return fallback.length > 0 ? fallback : staff(db, and(eq(principals.role, 'engineer'), eq(principals.homeRegion, region)));
}

function unique(people: Person[]): Person[] {
  const seen = new Set<string>();
  return people.filter((p) => {
    const key = p.address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
