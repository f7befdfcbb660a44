/**
 * Writes one workflow step to the read model in a single transaction: the case snapshot, its SLA clocks
 * and contact attempts, the audit events and the outbox rows. Every write is keyed, so a retried activity
 * (after a crash between commit and completion) changes nothing.
 */
import { and, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { caseEvents, caseInputs, cases, contactAttempts, notifications, slaClocks } from '../db/schema';
import type { CaseView } from '../contract/case';
import { isPermanentDataError } from '../db/errors';
import { caseUrgency } from './case-urgency';
import { recordQuarantine, replaceUnstorableText } from './quarantine';
import type { CaseChangeBatch, CaseChangeResult } from './types';

const date = (iso: string | null | undefined): Date | null => (iso ? new Date(iso) : null);

export async function recordCaseChange(db: Db, batch: CaseChangeBatch, canDeliver: boolean): Promise<CaseChangeResult> {
  const { record, view } = batch;
  return db.transaction(async (tx) => {
    const row = caseRow(batch);
    // Only a newer snapshot overwrites: activities of one case run in order, but a retried write that
    // lands after a newer one (e.g. a delayed retry) must not roll the read model back.
    const written = await tx
      .insert(cases)
      .values(row)
      .onConflictDoUpdate({
        target: cases.id,
        set: { ...row, updatedAt: sql`now()` },
        setWhere: sql`${cases.snapshotVersion} < excluded.snapshot_version`,
      })
      .returning({ id: cases.id });
    const snapshotWritten = written.length > 0;
    if (snapshotWritten) await writeClocksAndAttempts(tx as unknown as Db, record.caseId, view);

    if (record.input && batch.events.some((e) => e.type === 'opened')) {
      await tx
        .insert(caseInputs)
        .values({ caseId: record.caseId, policyVersion: record.policyVersion, input: record.input })
        .onConflictDoNothing({ target: caseInputs.caseId });
    }

    if (batch.events.length > 0) {
      await tx
        .insert(caseEvents)
        .values(
          batch.events.map((e) => ({
            caseId: record.caseId,
            eventKey: e.key,
            type: e.type,
            actorId: e.actorId,
            data: e.data,
            occurredAt: new Date(e.at),
          })),
        )
        .onConflictDoNothing({ target: [caseEvents.caseId, caseEvents.eventKey] });
    }

    let toDeliver: string[] = [];
    if (batch.notifications.length > 0) {
      await tx
        .insert(notifications)
        .values(batch.notifications.map((n) => ({ ...n, caseId: record.caseId })))
        .onConflictDoNothing({ target: notifications.dedupeKey });
      if (canDeliver) {
        const keys = batch.notifications.map((n) => n.dedupeKey);
        const pending = await tx
          .select({ key: notifications.dedupeKey })
          .from(notifications)
          .where(and(inArray(notifications.dedupeKey, keys), isNull(notifications.deliveredAt)));
        toDeliver = pending.map((p) => p.key);
      }
    }
    return { snapshotWritten, toDeliver };
  });
}

/**
 * The write failed for a reason no retry fixes. Unstorable text is replaced and the step written again;
 * otherwise (or if that fails too) the step is skipped. The original is quarantined either way.
 */
export async function recordDespitePermanentError(
  db: Db,
  batch: CaseChangeBatch,
  err: unknown,
  canDeliver: boolean,
): Promise<CaseChangeResult> {
  const sanitized = replaceUnstorableText(batch);
  if (sanitized.changed) {
    try {
      const result = await recordCaseChange(db, sanitized.value, canDeliver);
      await recordQuarantine(db, batch, 'sanitized', err);
      return { ...result, quarantined: 'sanitized' };
    } catch (again) {
      if (!isPermanentDataError(again)) throw again;
    }
  }
  await recordQuarantine(db, batch, 'skipped', err);
  return { snapshotWritten: false, toDeliver: [], quarantined: 'skipped' };
}

function caseRow({ record, view }: CaseChangeBatch) {
  const urgency = caseUrgency(view);
  return {
    id: record.caseId,
    workflowId: record.workflowId,
    orgId: record.orgId,
    openedBy: record.openedBy,
    type: record.type,
    entitlement: record.entitlement,
    level: view.level,
    productId: record.productId,
    productVersion: record.productVersion,
    build: record.build,
    title: record.title,
    description: record.description,
    language: record.language,
    relatedCaseId: record.relatedCaseId,
    status: view.status,
    closeReason: view.closeReason,
    ownerId: view.ownerId,
    slaState: view.slaState,
    firstResponseDueAt: date(view.clocks.firstResponse?.dueAt),
    nextDueAt: date(view.nextDueAt),
    nextDueClock: urgency.nextDueClock,
    overdueSince: date(urgency.overdueSince),
    openedAt: new Date(view.openedAt),
    firstResponseAt: date(view.firstResponseAt),
    closedAt: date(view.closedAt),
    // The version the case follows now (a migration moves it); case_inputs keeps the opening one.
    policyVersion: view.policyVersion ?? record.policyVersion,
    snapshot: view,
    snapshotVersion: view.version,
  };
}

/**
 * What a clock measured: from its start to its stop, when the stop is the instant it measures. A
 * first-response clock stopped by the closing (nobody answered) or retired clock ('stopped') measured nothing.
 */
function elapsedMs(view: CaseView, c: CaseView['clocks'][string]): number | null {
  if (!c.startedAt || !c.stoppedAt || c.state === 'stopped') return null;
  if (c.name === 'firstResponse' && view.firstResponseAt === null) return null;
  return Date.parse(c.stoppedAt) - Date.parse(c.startedAt);
}

async function writeClocksAndAttempts(db: Db, caseId: string, view: CaseView): Promise<void> {
  const clocks = Object.values(view.clocks).map((c) => ({
    caseId,
    clock: c.name,
    state: c.state,
    target: c.target,
    level: view.level,
    // The level at the stop: this write's level when it is the first to see the stop; the upsert below keeps
    // the stored one through later writes (a severity change after the first response moves `level` only).
    stoppedLevel: c.stoppedAt ? view.level : null,
    entitlement: view.entitlement,
    startedAt: date(c.startedAt),
    dueAt: date(c.dueAt),
    stoppedAt: date(c.stoppedAt),
    breachedAt: date(c.breachedAt),
    latenessMs: c.latenessMs,
    elapsedMs: elapsedMs(view, c),
    explanation: c.explanation,
  }));
  if (clocks.length > 0) {
    await db
      .insert(slaClocks)
      .values(clocks)
      .onConflictDoUpdate({
        target: [slaClocks.caseId, slaClocks.clock],
        set: {
          state: sql`excluded.state`,
          target: sql`excluded.target`,
          level: sql`excluded.level`,
          // The same stop as stored: keep the level it stopped at; a new stop (a restarted clock) or none: this write's.
          stoppedLevel: sql`case when ${slaClocks.stoppedAt} is not distinct from excluded.stopped_at and ${slaClocks.stoppedLevel} is not null then ${slaClocks.stoppedLevel} else excluded.stopped_level end`,
          entitlement: sql`excluded.entitlement`,
          startedAt: sql`excluded.started_at`,
          dueAt: sql`excluded.due_at`,
          stoppedAt: sql`excluded.stopped_at`,
          breachedAt: sql`excluded.breached_at`,
          latenessMs: sql`excluded.lateness_ms`,
          elapsedMs: sql`excluded.elapsed_ms`,
          explanation: sql`excluded.explanation`,
          updatedAt: sql`now()`,
        },
      });
  }
  const attempts = view.contactAttempts.map((a) => ({
    caseId,
    round: a.round,
    attempt: a.attempt,
    businessDate: a.businessDate,
    scheduledAt: new Date(a.scheduledAt),
    madeAt: date(a.madeAt),
    status: a.status,
  }));
  if (attempts.length > 0) {
    await db
      .insert(contactAttempts)
      .values(attempts)
      .onConflictDoUpdate({
        target: [contactAttempts.caseId, contactAttempts.round, contactAttempts.attempt],
        set: {
          businessDate: sql`excluded.business_date`,
          scheduledAt: sql`excluded.scheduled_at`,
          madeAt: sql`excluded.made_at`,
          status: sql`excluded.status`,
        },
      });
  }
}
