/**
 * Metrics a support lead reads (issue 23): how late breach and warning notices are, and how many breaches
 * there are by program and level. Read from the database at each scrape (the outbox and the audit trail are
 * the record), each row observed once per process: a process counts what was written after it started.
 *
 * - caseflow_sla_notice_recorded_lateness_seconds{kind,program}: the notice's due instant (its
 *   `scheduledFor`: a threshold's instant for a warning, due + 1 ms for a breach) to its outbox row's commit.
 * - caseflow_sla_notice_delivered_lateness_seconds{kind,program}: the same instant to the row's delivery
 *   (every recipient's mail and webhook sent or bounced).
 *   One observation per outbox row: a breach told to the owner and the duty manager is two.
 * - caseflow_sla_breaches_total{program,level,clock}: one per sla_breach audit event (once per missed clock).
 *
 * Several API instances on one database each count every row: aggregate with max() over instances (see
 * docs/operations.md), not sum().
 */
import { and, eq, gt, inArray, lte } from 'drizzle-orm';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { Db } from '../db/client';
import { caseEvents, cases, notifications } from '../db/schema';

const KINDS = ['sla_breach', 'sla_warning'];
const BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600, 14_400];

export interface SlaMetricsOptions {
  /** Rows younger than this are left for the next scrape (a transaction committing late is still seen). */
  lagMs?: number;
  /** Rows read per scrape and kind of row at most (the rest on the next scrape). */
  batch?: number;
}

export function registerSlaNoticeMetrics(registry: Registry, db: Db, opts: SlaMetricsOptions = {}): void {
  const { lagMs = 2000, batch = 5000 } = opts;
  const recorded = new Histogram({
    name: 'caseflow_sla_notice_recorded_lateness_seconds',
    help: 'Breach and warning notices: seconds from the due instant to the outbox row being recorded',
    labelNames: ['kind', 'program'] as const,
    buckets: BUCKETS,
    registers: [registry],
    collect: () => collect(),
  });
  const delivered = new Histogram({
    name: 'caseflow_sla_notice_delivered_lateness_seconds',
    help: 'Breach and warning notices: seconds from the due instant to every recipient being delivered',
    labelNames: ['kind', 'program'] as const,
    buckets: BUCKETS,
    registers: [registry],
    collect: () => collect(),
  });
  const breaches = new Counter({
    name: 'caseflow_sla_breaches_total',
    help: 'SLA breaches (sla_breach audit events) by program, level and clock',
    labelNames: ['program', 'level', 'clock'] as const,
    registers: [registry],
    collect: () => collect(),
  });

  const started = new Date(Date.now() - lagMs);
  let recordedSince = started;
  let deliveredSince = started;
  let breachesSince = started;
  let busy: Promise<void> | null = null;

  const lateness = (scheduledFor: unknown, at: Date | null): number | null => {
    const due = typeof scheduledFor === 'string' ? Date.parse(scheduledFor) : NaN;
    return at && Number.isFinite(due) ? Math.max(0, (at.getTime() - due) / 1000) : null;
  };

  async function catchUp(): Promise<void> {
    const until = new Date(Date.now() - lagMs);
    const rec = await db
      .select({ kind: notifications.kind, payload: notifications.payload, at: notifications.createdAt, program: cases.entitlement })
      .from(notifications)
      .leftJoin(cases, eq(cases.id, notifications.caseId))
      .where(and(inArray(notifications.kind, KINDS), gt(notifications.createdAt, recordedSince), lte(notifications.createdAt, until)))
      .orderBy(notifications.createdAt)
      .limit(batch);
    for (const r of rec) {
      const s = lateness((r.payload as { scheduledFor?: unknown }).scheduledFor, r.at);
      if (s !== null) recorded.observe({ kind: r.kind, program: r.program ?? 'unknown' }, s);
    }
    recordedSince = rec.length === batch ? rec.at(-1)!.at : until;

    const del = await db
      .select({ kind: notifications.kind, payload: notifications.payload, at: notifications.deliveredAt, program: cases.entitlement })
      .from(notifications)
      .leftJoin(cases, eq(cases.id, notifications.caseId))
      .where(and(inArray(notifications.kind, KINDS), gt(notifications.deliveredAt, deliveredSince), lte(notifications.deliveredAt, until)))
      .orderBy(notifications.deliveredAt)
      .limit(batch);
    for (const r of del) {
      const s = lateness((r.payload as { scheduledFor?: unknown }).scheduledFor, r.at);
      if (s !== null) delivered.observe({ kind: r.kind, program: r.program ?? 'unknown' }, s);
    }
    deliveredSince = del.length === batch ? del.at(-1)!.at! : until;

    const br = await db
      .select({ data: caseEvents.data, at: caseEvents.recordedAt, program: cases.entitlement })
      .from(caseEvents)
      .leftJoin(cases, eq(cases.id, caseEvents.caseId))
      .where(and(eq(caseEvents.type, 'sla_breach'), gt(caseEvents.recordedAt, breachesSince), lte(caseEvents.recordedAt, until)))
      .orderBy(caseEvents.recordedAt)
      .limit(batch);
    for (const r of br) {
      const data = r.data as { level?: unknown; clock?: unknown };
      breaches.inc({ program: r.program ?? 'unknown', level: String(data.level ?? 'unknown'), clock: String(data.clock ?? 'unknown') });
    }
    breachesSince = br.length === batch ? br.at(-1)!.at : until;
  }

  // One catch-up per scrape, shared by the three metrics' collect hooks; a database away skips a scrape.
  let lastRun = 0;
  async function collect(): Promise<void> {
    if (!busy && Date.now() - lastRun > 200) {
      lastRun = Date.now();
      busy = catchUp()
        .catch(() => undefined)
        .finally(() => {
          busy = null;
        });
    }
    await busy;
  }
}
