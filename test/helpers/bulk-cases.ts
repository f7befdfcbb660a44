/**
 * Many open cases straight into the read model (the queue reads only the read model), for the queue's
 * scale test and bench/console.ts. Rows look like the worker's: a snapshot with status, clocks and due
 * times spread over the next days, across the demo organisations.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { cases } from '../../db/schema';
import { DEMO_ORGS } from '../../runtime/demo-seed';

const STATUSES = ['opened', 'in_progress', 'awaiting_customer', 'resolved'] as const;
const SLA = ['on_track', 'on_track', 'on_track', 'at_risk', 'breached', 'met', 'paused'] as const;

export async function insertOpenCases(db: Db, count: number, now = Date.now()): Promise<void> {
  const batch = 1000;
  for (let start = 0; start < count; start += batch) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + batch); i++) {
      const org = DEMO_ORGS[i % DEMO_ORGS.length];
      const id = randomUUID();
      const level = (i % 4) + 1;
      const status = STATUSES[i % STATUSES.length];
      const slaState = SLA[i % SLA.length];
      const openedAt = new Date(now - (i % 500) * 60_000);
      const nextDueAt = new Date(now + 60_000 + ((i * 7919) % (7 * 86_400_000)));
      const clock = {
        name: 'firstResponse',
        state: slaState === 'met' ? 'met' : slaState === 'breached' ? 'breached' : 'running',
        dueAt: nextDueAt.toISOString(),
        startedAt: openedAt.toISOString(),
        stoppedAt: null,
        breachedAt: null,
        latenessMs: null,
        target: '8 business hours',
        explanation: 'bulk test case',
      };
      const snapshot = {
        type: 'technical',
        status,
        closeReason: null,
        entitlement: org.entitlement,
        level,
        ownerId: i % 3 === 0 ? 'eng-emea' : null,
        ownerRegion: i % 3 === 0 ? 'EMEA' : null,
        aroundTheClock: false,
        customerAvailable: true,
        openedAt: openedAt.toISOString(),
        firstResponseAt: null,
        resolvedAt: null,
        closedAt: null,
        slaState,
        nextDueAt: nextDueAt.toISOString(),
        clocks: { firstResponse: clock },
        version: 1,
      };
      rows.push({
        id,
        orgId: org.id,
        openedBy: 'bulk',
        type: 'technical',
        entitlement: org.entitlement,
        level,
        title: `Bulk case ${i}: replication job stalls`,
        description: 'bulk',
        language: 'en',
        status,
        ownerId: snapshot.ownerId,
        slaState,
        nextDueAt,
        openedAt,
        policyVersion: 'bulk',
        workflowId: `bulk-${id}`,
        snapshot,
        snapshotVersion: 1,
      });
    }
    await db.insert(cases).values(rows);
  }
  await db.execute(sql`analyze cases`);
}
