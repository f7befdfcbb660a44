/**
 * The support lead's metrics (issue 23): breach and warning notice lateness (due instant to recorded and to
 * delivered) and breaches by program and level, read from a real database at each scrape, each row once.
 */
import { Registry } from 'prom-client';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { caseEvents, cases, notifications } from '../../db/schema';
import { seedDemo } from '../../runtime/demo-seed';
import { registerSlaNoticeMetrics } from '../../runtime/sla-metrics';
import { createTestDatabase } from '../helpers/db';

jest.setTimeout(60_000);

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemo(database.db);
});
afterAll(async () => {
  await database.close();
});

const sample = (text: string, name: string, labels: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.split(' ').at(-1)) : 0;
};

test('lateness histograms and the breach counter follow the outbox and the audit trail', async () => {
  const registry = new Registry();
  registerSlaNoticeMetrics(registry, database.db, { lagMs: 0 });
  const caseId = '00000000-0000-4000-8000-00000000a001';
  await database.db.insert(cases).values({
    id: caseId,
    orgId: 'sakura-basic',
    openedBy: 'test',
    type: 'technical',
    entitlement: 'basic',
    level: 2,
    title: 't',
    description: 'd',
    language: 'en',
    status: 'opened',
    slaState: 'breached',
    openedAt: new Date(),
    policyVersion: 'v1',
    workflowId: `case-${caseId}`,
    snapshot: {},
    snapshotVersion: 1,
  });
  const due = new Date(Date.now() - 3000).toISOString();
  await database.db.insert(notifications).values([
    {
      dedupeKey: 'b1',
      caseId,
      kind: 'sla_breach',
      recipient: 'engineer:x',
      channel: 'email',
      payload: { scheduledFor: due, clock: 'firstResponse', level: 2 },
    },
    {
      dedupeKey: 'w1',
      caseId,
      kind: 'sla_warning',
      recipient: 'engineer:x',
      channel: 'email',
      payload: { scheduledFor: due, threshold: 0.75 },
    },
  ]);
  await database.db.insert(caseEvents).values({
    caseId,
    eventKey: 'sla_breach:1',
    type: 'sla_breach',
    actorId: 'system',
    data: { clock: 'firstResponse', level: 2 },
    occurredAt: new Date(),
  });
  await new Promise((r) => setTimeout(r, 300));
  let text = await registry.metrics();
  expect(sample(text, 'caseflow_sla_notice_recorded_lateness_seconds_count', 'kind="sla_breach",program="basic"')).toBe(1);
  expect(sample(text, 'caseflow_sla_notice_recorded_lateness_seconds_bucket', 'le="2",kind="sla_breach",program="basic"')).toBe(0);
  expect(sample(text, 'caseflow_sla_notice_recorded_lateness_seconds_bucket', 'le="5",kind="sla_breach",program="basic"')).toBe(1);
  expect(sample(text, 'caseflow_sla_notice_recorded_lateness_seconds_count', 'kind="sla_warning",program="basic"')).toBe(1);
  expect(sample(text, 'caseflow_sla_breaches_total', 'program="basic",level="2",clock="firstResponse"')).toBe(1);
  expect(sample(text, 'caseflow_sla_notice_delivered_lateness_seconds_count', 'kind="sla_breach"')).toBe(0);

  // Delivered a little later: the second histogram; nothing counted twice.
  await database.db
    .update(notifications)
    .set({ deliveredAt: sql`now()` })
    .where(sql`dedupe_key = 'b1'`);
  await new Promise((r) => setTimeout(r, 300));
  text = await registry.metrics();
  expect(sample(text, 'caseflow_sla_notice_delivered_lateness_seconds_count', 'kind="sla_breach",program="basic"')).toBe(1);
  expect(sample(text, 'caseflow_sla_notice_recorded_lateness_seconds_count', 'kind="sla_breach",program="basic"')).toBe(1);
  expect(sample(text, 'caseflow_sla_breaches_total', 'program="basic",level="2",clock="firstResponse"')).toBe(1);
});
