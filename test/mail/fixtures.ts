/**
 * People and a case row for the mail suites: an organisation with its opener, notification contacts, a
 * linked partner, engineers on an EMEA rota, duty and escalation managers; a case written the way the
 * workflow writes it (recordCaseChange), so deliveries find its number, title and language.
 */
import type { Database } from '../../db/client';
import type { CaseChangeBatch, NotificationRequest } from '../../activities/types';
import type { CaseView } from '../../contract/case';
import { createActivities } from '../../activities';
import { createMailTransport } from '../../activities/mail/transport';
import type { CaseMailer } from '../../activities/mail/mailer';
import { notificationContacts, oncallShifts, partnerLinks, principals } from '../../db/schema';
import { ORG } from '../fixtures/cases';

export const REPLY = { secret: 'test-reply-secret', domain: 'reply.caseflow.test' };
export const FROM = 'Caseflow Support <support@caseflow.test>';
export const CONSOLE_URL = 'https://support.caseflow.test';

export function testMailer(smtpUrl: string): CaseMailer {
  return { transport: createMailTransport(smtpUrl, FROM, { timeoutMs: 3000 }), reply: REPLY, consoleUrl: CONSOLE_URL };
}

export async function insertPeople(database: Database): Promise<void> {
  const db = database.db;
  await db
    .insert(principals)
    .values([
      { id: 'cust-anna', orgId: ORG.id, name: 'Anna Admin', email: 'anna@acme.example', role: 'case_admin' },
      { id: 'partner-pat', name: 'Pat Partner', email: 'pat@partner.example', role: 'support_partner' },
      { id: 'eng-bo', name: 'Bo Engineer', email: 'bo@caseflow.test', role: 'engineer', homeRegion: 'EMEA' },
      { id: 'eng-fay', name: 'Fay Fallback', email: 'fay@caseflow.test', role: 'engineer', homeRegion: 'EMEA' },
      { id: 'eng-ray', name: 'Ray Regional', email: 'ray@caseflow.test', role: 'engineer', homeRegion: 'APAC' },
      { id: 'mgr-dana', name: 'Dana Duty', email: 'dana@caseflow.test', role: 'manager', managerLevel: 1 },
      { id: 'mgr-eli', name: 'Eli Escalation', email: 'eli@caseflow.test', role: 'manager', managerLevel: 2 },
    ])
    .onConflictDoNothing();
  await db.insert(partnerLinks).values({ partnerId: 'partner-pat', orgId: ORG.id }).onConflictDoNothing();
  await db
    .insert(notificationContacts)
    .values([
      {
        id: 'ct-klaus',
        orgId: ORG.id,
        name: 'Klaus Kontakt',
        email: 'klaus@acme.example',
        language: 'de',
        kinds: ['contact_attempt', 'case_resolved'],
      },
      { id: 'ct-olga', orgId: ORG.id, name: 'Olga Ops', email: 'olga@acme.example', language: null, kinds: ['case_resolved'] },
    ])
    .onConflictDoNothing();
  await db
    .insert(oncallShifts)
    .values({
      id: 'shift-emea',
      region: 'EMEA',
      primaryId: 'eng-bo',
      fallbackId: 'eng-fay',
      validFrom: new Date('2020-01-01T00:00:00Z'),
      validTo: null,
    })
    .onConflictDoNothing();
}

export function caseView(caseId: string, version: number): CaseView {
  return {
    caseId,
    status: 'awaiting_customer',
    closeReason: null,
    entitlement: 'production',
    level: 2,
    type: 'technical',
    ownerId: 'eng-bo',
    ownerRegion: null,
    customerAvailable: true,
    aroundTheClock: false,
    openedAt: '2026-12-01T09:00:00.000Z',
    firstResponseAt: '2026-12-01T09:30:00.000Z',
    resolvedAt: null,
    closedAt: null,
    resolution: null,
    clocks: {},
    slaState: 'met',
    nextDueAt: null,
    contactAttempts: [],
    managerEscalation: null,
    rca: null,
    history: [],
    historyOmitted: 0,
    version,
  };
}

/** Writes the case row (version 1) and the given outbox rows, as the workflow's local activity would. */
export async function writeCase(
  database: Database,
  caseId: string,
  notices: Omit<NotificationRequest, 'dedupeKey'>[],
  language = 'en',
): Promise<string[]> {
  const acts = createActivities({ db: database, notifier: null, mailer: null });
  const batch: CaseChangeBatch = {
    record: {
      caseId,
      workflowId: `case-${caseId}`,
      orgId: ORG.id,
      openedBy: 'cust-anna',
      type: 'technical',
      entitlement: 'production',
      title: 'Nightly backup job fails',
      description: 'Error 0x80070005',
      language,
      relatedCaseId: null,
      policyVersion: 'test',
      productId: null,
      productVersion: null,
      build: null,
    },
    view: caseView(caseId, 1),
    events: [
      {
        key: 'info_requested:r1',
        type: 'info_requested',
        actorId: 'eng-bo',
        at: '2026-12-03T14:00:00.000Z',
        data: { round: 1, message: 'Please upload the job logs', attempts: [{}, {}, {}], closesIfUnansweredAt: '2026-12-09T16:00:00.000Z' },
      },
    ],
    notifications: notices.map((n, i) => ({ ...n, dedupeKey: `${caseId}:${n.kind}:${n.recipient}:${i}` })),
  };
  await acts.recordCaseChange(batch);
  return batch.notifications.map((n) => n.dedupeKey);
}
