/**
 * Demo data: one organisation per program or plan, in different countries and time zones, with their
 * contacts; a support partner linked to one of them and one linked to two; engineers in every follow-the-sun region; duty and
 * escalation managers; an administrator; products and versions. Idempotent: a second run changes nothing
 * and issues no tokens (tokens are stored hashed, so plaintext exists only in the run that created them).
 */
import { hashToken, newToken } from '../api/tokens';
import type { Db } from '../db/client';
import {
  accountManagers,
  apiTokens,
  notificationContacts,
  oncallShifts,
  organisations,
  partnerLinks,
  principals,
  products,
  productVersions,
} from '../db/schema';

export interface DemoToken {
  principalId: string;
  name: string;
  role: string;
  orgId: string | null;
  token: string;
}

export interface SeedResult {
  /** False when the demo data was already there. */
  created: boolean;
  /** Plaintext tokens, only in the run that created them. */
  tokens: DemoToken[];
}

type Org = typeof organisations.$inferInsert;
type PrincipalRow = typeof principals.$inferInsert;

const DEMO_ADMIN_ID = 'demo-admin';

export const DEMO_ORGS: Org[] = [
  {
    id: 'acme-premier',
    name: 'Acme Logistics GmbH',
    supportId: '01700001',
    entitlement: 'premier',
    marketRegion: 'EMEA',
    country: 'DE',
    subdivision: 'BY',
    timeZone: 'Europe/Berlin',
    language: 'de',
  },
  {
    id: 'northwind-production',
    name: 'Northwind Traders Inc.',
    supportId: '01700002',
    entitlement: 'production',
    marketRegion: 'US',
    country: 'US',
    subdivision: 'CA',
    timeZone: 'America/Los_Angeles',
    language: 'en',
  },
  {
    id: 'sakura-basic',
    name: 'Sakura Manufacturing KK',
    supportId: '01700003',
    entitlement: 'basic',
    marketRegion: 'APAC',
    country: 'JP',
    timeZone: 'Asia/Tokyo',
    language: 'ja',
  },
  {
    id: 'maple-evaluation',
    name: 'Maple Health Ltd.',
    supportId: '01700004',
    entitlement: 'evaluation',
    marketRegion: 'CA',
    country: 'CA',
    subdivision: 'QC',
    timeZone: 'America/Toronto',
    language: 'fr',
  },
  {
    id: 'pampas-free',
    name: 'Pampas Cooperativa',
    supportId: '01700005',
    entitlement: 'free',
    marketRegion: 'LATAM',
    country: 'AR',
    timeZone: 'America/Argentina/Buenos_Aires',
    language: 'es',
  },
  {
    id: 'cloudnine-vcsp',
    name: 'CloudNine Hosting plc',
    supportId: '01700006',
    entitlement: 'vcsp_production',
    marketRegion: 'EMEA',
    country: 'GB',
    timeZone: 'Europe/London',
    language: 'en',
  },
  {
    id: 'koala-premium',
    name: 'Koala Data Pty Ltd',
    supportId: '01700007',
    entitlement: 'plan_premium',
    marketRegion: 'APAC',
    country: 'AU',
    subdivision: 'NSW',
    timeZone: 'Australia/Sydney',
    language: 'en',
  },
  {
    id: 'ipe-plan-basic',
    name: 'Ipê Sistemas Ltda',
    supportId: '01700008',
    entitlement: 'plan_basic',
    marketRegion: 'LATAM',
    country: 'BR',
    timeZone: 'America/Sao_Paulo',
    language: 'pt',
  },
  {
    id: 'fjord-plan-evaluation',
    name: 'Fjord Analytics AS',
    supportId: '01700009',
    entitlement: 'plan_evaluation',
    marketRegion: 'EMEA',
    country: 'NO',
    timeZone: 'Europe/Oslo',
    language: 'en',
  },
];

const contact = (orgId: string, first: string, phone: string, role: 'case_admin' | 'license_admin' = 'case_admin'): PrincipalRow => ({
  id: `${orgId}-${first.toLowerCase()}`,
  orgId,
  name: `${first} (${orgId})`,
  email: `${first.toLowerCase()}@${orgId}.example`,
  role,
  phone,
});

export const DEMO_PRINCIPALS: PrincipalRow[] = [
  { id: DEMO_ADMIN_ID, name: 'Ada Admin', email: 'admin@caseflow.example', role: 'admin' },
  // Demo numbers from each country's range for fiction or drama where one exists (+44 20 7946 0xxx, +61 491 570 xxx, 555-01xx).
  contact('acme-premier', 'Anna', '+49 89 2190 5501'),
  contact('acme-premier', 'Lukas', '+49 89 2190 5502', 'license_admin'),
  contact('northwind-production', 'Nancy', '+1 415 555 0142'),
  contact('sakura-basic', 'Haruto', '+81 3 5555 0143'),
  contact('maple-evaluation', 'Chloe', '+1 514 555 0144'),
  contact('pampas-free', 'Mateo', '+54 11 5555 0145'),
  contact('cloudnine-vcsp', 'Oliver', '+44 20 7946 0146'),
  contact('koala-premium', 'Charlotte', '+61 491 570 147'),
  contact('ipe-plan-basic', 'Joao', '+55 11 5555 0148'),
  contact('fjord-plan-evaluation', 'Ingrid', '+47 22 55 01 49'),
  {
    id: 'partner-bytesmith',
    name: 'Bytesmith Consulting (partner)',
    email: 'support@bytesmith.example',
    role: 'support_partner',
    phone: '+1 206 555 0150',
  },
  {
    id: 'partner-southcross',
    name: 'Southern Cross IT (partner of two)',
    email: 'desk@southcross.example',
    role: 'support_partner',
    phone: '+61 491 570 151',
  },
  {
    id: 'eng-apac',
    name: 'Mei (engineer, APAC)',
    email: 'mei@caseflow.example',
    role: 'engineer',
    homeRegion: 'APAC',
    timeZone: 'Asia/Singapore',
  },
  {
    id: 'eng-emea',
    name: 'Jonas (engineer, EMEA)',
    email: 'jonas@caseflow.example',
    role: 'engineer',
    homeRegion: 'EMEA',
    timeZone: 'Europe/Berlin',
  },
  {
    id: 'eng-americas',
    name: 'Sofia (engineer, Americas)',
    email: 'sofia@caseflow.example',
    role: 'engineer',
    homeRegion: 'AMERICAS',
    timeZone: 'America/New_York',
  },
  {
    id: 'mgr-duty',
    name: 'Dana (duty manager)',
    email: 'dana@caseflow.example',
    role: 'manager',
    managerLevel: 1,
    timeZone: 'Europe/London',
  },
  {
    id: 'mgr-escalation',
    name: 'Eli (escalation manager)',
    email: 'eli@caseflow.example',
    role: 'manager',
    managerLevel: 2,
    timeZone: 'Europe/London',
  },
  {
    id: 'sam-sara',
    name: 'Sara (Support Account Manager)',
    email: 'sara@caseflow.example',
    role: 'engineer',
    homeRegion: 'EMEA',
    timeZone: 'Europe/Berlin',
  },
];

/** Who hears about what: a rota per follow-the-sun region, Acme's account manager, one extra Acme contact. */
export const DEMO_ONCALL: (typeof oncallShifts.$inferInsert)[] = [
  { id: 'demo-oncall-apac', region: 'APAC', primaryId: 'eng-apac', fallbackId: 'eng-emea', validFrom: new Date('2020-01-01T00:00:00Z') },
  {
    id: 'demo-oncall-emea',
    region: 'EMEA',
    primaryId: 'eng-emea',
    fallbackId: 'eng-americas',
    validFrom: new Date('2020-01-01T00:00:00Z'),
  },
  {
    id: 'demo-oncall-americas',
    region: 'AMERICAS',
    primaryId: 'eng-americas',
    fallbackId: 'eng-apac',
    validFrom: new Date('2020-01-01T00:00:00Z'),
  },
];
export const DEMO_ACCOUNT_MANAGERS = [{ orgId: 'acme-premier', principalId: 'sam-sara' }];
export const DEMO_CONTACTS: (typeof notificationContacts.$inferInsert)[] = [
  {
    id: 'demo-contact-acme-it',
    orgId: 'acme-premier',
    name: 'Acme IT-Leitstand',
    email: 'it-leitstand@acme-premier.example',
    language: 'de',
    kinds: null,
    phone: '+49 89 2190 5500',
  },
];

/** Bytesmith acts for one customer; Southern Cross for two, so the portal's organisation switch has something to switch. */
export const DEMO_PARTNER_LINKS = [
  { partnerId: 'partner-bytesmith', orgId: 'northwind-production' },
  { partnerId: 'partner-southcross', orgId: 'cloudnine-vcsp' },
  { partnerId: 'partner-southcross', orgId: 'koala-premium' },
];

export const DEMO_PRODUCTS = [
  { id: 'backup-replication', name: 'Backup & Replication' },
  { id: 'kasten', name: 'Kasten K10' },
];

export const DEMO_VERSIONS: (typeof productVersions.$inferInsert)[] = [
  { productId: 'backup-replication', version: '12.3', lifecycle: 'current', latestBuild: '12.3.1.1139' },
  { productId: 'backup-replication', version: '12.2', lifecycle: 'limited', latestBuild: '12.2.0.334' },
  { productId: 'backup-replication', version: '11', lifecycle: 'discontinued', latestBuild: '11.0.1.1261' },
  { productId: 'kasten', version: '7.5', lifecycle: 'current', latestBuild: '7.5.2' },
];

export async function seedDemo(db: Db): Promise<SeedResult> {
  return db.transaction(async (tx) => {
    const [admin] = await tx.insert(principals).values(DEMO_PRINCIPALS[0]).onConflictDoNothing().returning({ id: principals.id });
    // The admin row is the marker: present means an earlier run (or an operator) seeded this database.
    if (!admin) return { created: false, tokens: [] };
    await tx.insert(organisations).values(DEMO_ORGS).onConflictDoNothing();
    await tx.insert(principals).values(DEMO_PRINCIPALS.slice(1)).onConflictDoNothing();
    await tx.insert(partnerLinks).values(DEMO_PARTNER_LINKS).onConflictDoNothing();
    await tx.insert(products).values(DEMO_PRODUCTS).onConflictDoNothing();
    await tx.insert(productVersions).values(DEMO_VERSIONS).onConflictDoNothing();
    await tx.insert(oncallShifts).values(DEMO_ONCALL).onConflictDoNothing();
    await tx.insert(accountManagers).values(DEMO_ACCOUNT_MANAGERS).onConflictDoNothing();
    await tx.insert(notificationContacts).values(DEMO_CONTACTS).onConflictDoNothing();
    const tokens: DemoToken[] = DEMO_PRINCIPALS.map((p) => ({
      principalId: p.id,
      name: p.name,
      role: p.role,
      orgId: p.orgId ?? null,
      token: newToken(),
    }));
    await tx.insert(apiTokens).values(
      tokens.map((t) => ({
        id: `demo-${t.principalId}`,
        principalId: t.principalId,
        tokenHash: hashToken(t.token),
        label: 'demo',
      })),
    );
    return { created: true, tokens };
  });
}
