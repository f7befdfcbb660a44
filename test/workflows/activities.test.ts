/**
 * The activities against a real database: a retried write changes nothing, a stale snapshot never overwrites
 * a newer one, and outbox delivery records failures and never sends a delivered row twice.
 */
import type { Database } from '../../db/client';
import { createActivities, type CaseChangeBatch, type Notifier, type OutboxNotification } from '../../activities';
import { createTestDatabase } from '../helpers/db';
import { insertOrganisation, ORG } from '../fixtures/cases';
import type { CaseView } from '../../contract/case';
import { caseEvents, cases, notifications, slaClocks, contactAttempts } from '../../db/schema';
import { eq } from 'drizzle-orm';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  await insertOrganisation(database);
});
afterAll(async () => {
  await database?.close();
});

function view(version: number, status: CaseView['status']): CaseView {
  return {
    caseId: 'act-1',
    status,
    closeReason: null,
    entitlement: 'production',
    level: 2,
    type: 'technical',
    ownerId: null,
    ownerRegion: null,
    customerAvailable: true,
    aroundTheClock: false,
    openedAt: '2026-12-01T09:00:00.000Z',
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    resolution: null,
    clocks: {
      firstResponse: {
        name: 'firstResponse',
        state: 'running',
        dueAt: '2026-12-01T12:00:00.000Z',
        startedAt: '2026-12-01T09:00:00.000Z',
        stoppedAt: null,
        breachedAt: null,
        latenessMs: null,
        target: '3 hours',
        explanation: '3 h, 24/7',
      },
    },
    slaState: 'on_track',
    nextDueAt: '2026-12-01T12:00:00.000Z',
    contactAttempts: [
      { round: 1, attempt: 1, businessDate: '2026-12-02', scheduledAt: '2026-12-02T09:00:00.000Z', madeAt: null, status: 'scheduled' },
    ],
    managerEscalation: null,
    rca: null,
    history: [],
    version,
  };
}

function batch(version: number, status: CaseView['status'], keys: string[]): CaseChangeBatch {
  return {
    record: {
      caseId: 'act-1',
      workflowId: 'case-act-1',
      orgId: ORG.id,
      openedBy: 'cust-anna',
      type: 'technical',
      entitlement: 'production',
      title: 'Backups slow',
      description: 'since Monday',
      language: 'en',
      relatedCaseId: null,
      policyVersion: 'test',
      productId: null,
      productVersion: null,
      build: null,
    },
    view: view(version, status),
    events: keys.map((key) => ({ key, type: key.split(':')[0]!, actorId: 'system', at: '2026-12-01T09:00:00.000Z', data: { key } })),
    notifications: keys.map((key) => ({
      dedupeKey: `act-1:${key}`,
      kind: 'sla_warning',
      recipient: 'manager:duty',
      channel: 'email',
      payload: { key },
    })),
  };
}

test('a retried write is a no-op and a stale snapshot never overwrites a newer one', async () => {
  const acts = createActivities({ db: database, notifier: null });
  const first = batch(1, 'opened', ['opened:open']);
  // recordedAt: when the write finished (the workflow arms its next timer from it).
  const before = Date.now();
  const written = await acts.recordCaseChange(first);
  expect(written).toEqual({ snapshotWritten: true, toDeliver: [], recordedAt: expect.any(Number) });
  expect(written.recordedAt).toBeGreaterThanOrEqual(before);
  expect(written.recordedAt).toBeLessThanOrEqual(Date.now());
  // The same batch again, as after a crash between commit and activity completion.
  expect(await acts.recordCaseChange(first)).toEqual({ snapshotWritten: false, toDeliver: [], recordedAt: expect.any(Number) });
  await acts.recordCaseChange(batch(3, 'in_progress', ['first_response:r1']));
  // Version 2 arrives late (a delayed retry): its events are kept, its snapshot is not.
  expect((await acts.recordCaseChange(batch(2, 'opened', ['sla_warning:x']))).snapshotWritten).toBe(false);

  const db = database.db;
  const [row] = await db.select().from(cases).where(eq(cases.id, 'act-1'));
  expect(row).toMatchObject({ status: 'in_progress', snapshotVersion: 3, slaState: 'on_track', description: 'since Monday' });
  expect((await db.select().from(caseEvents).where(eq(caseEvents.caseId, 'act-1'))).map((e) => e.eventKey).sort()).toEqual([
    'first_response:r1',
    'opened:open',
    'sla_warning:x',
  ]);
  expect(await db.select().from(notifications).where(eq(notifications.caseId, 'act-1'))).toHaveLength(3);
  expect(await db.select().from(slaClocks).where(eq(slaClocks.caseId, 'act-1'))).toHaveLength(1);
  expect(await db.select().from(contactAttempts).where(eq(contactAttempts.caseId, 'act-1'))).toHaveLength(1);
});

test('delivery marks rows delivered once, and records a failing channel on the row before retrying', async () => {
  const sent: OutboxNotification[] = [];
  let failing = true;
  const notifier: Notifier = {
    async deliver(n) {
      if (failing) throw new Error('receiver down');
      sent.push(n);
    },
  };
  const acts = createActivities({ db: database, notifier });
  const { toDeliver } = await acts.recordCaseChange(batch(4, 'in_progress', ['sla_breach:y']));
  expect(toDeliver).toEqual(['act-1:sla_breach:y']);

  await expect(acts.deliverNotifications(toDeliver)).rejects.toThrow(/receiver down/);
  const [failed] = await database.db.select().from(notifications).where(eq(notifications.dedupeKey, 'act-1:sla_breach:y'));
  expect(failed).toMatchObject({ attempts: 1, lastError: 'receiver down', deliveredAt: null });

  failing = false;
  expect(await acts.deliverNotifications(toDeliver)).toEqual({ delivered: 1 });
  // A retried delivery activity finds nothing left to send.
  expect(await acts.deliverNotifications(toDeliver)).toEqual({ delivered: 0 });
  expect(sent.map((n) => n.dedupeKey)).toEqual(['act-1:sla_breach:y']);
  const [done] = await database.db.select().from(notifications).where(eq(notifications.dedupeKey, 'act-1:sla_breach:y'));
  expect(done).toMatchObject({ attempts: 2, lastError: null });
  expect(done!.deliveredAt).not.toBeNull();
  // Rows of a retried batch that were delivered already are not handed out again.
  expect((await acts.recordCaseChange(batch(4, 'in_progress', ['sla_breach:y']))).toDeliver).toEqual([]);
});
