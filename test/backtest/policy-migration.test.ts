/**
 * Migrating open cases to a published version, on real case workflows and the real migration workflow
 * (time-skipping server, real database): the preview lists every running clock's old and new due instant,
 * the apply does exactly that case by case, once; a case that changed after the preview is left alone;
 * closed cases and stopped clocks are never rewritten; the owner hears of a due instant moved earlier; the
 * migrated trails replay exactly.
 */
import { and, eq } from 'drizzle-orm';
import { engineerResponseUpdate } from '../../contract/case';
import { MIGRATION_WORKFLOW_TYPE, migrationWorkflowId } from '../../contract/backtest';
import { TASK_QUEUE } from '../../contract/case';
import { caseEvents, cases, notifications, policyBacktests, policyVersions } from '../../db/schema';
import { applyPatch, POLICY_V1 } from '../../policy';
import type { MigratedClock } from '../../contract/policy-runs';
import { exactnessDiff } from '../../backtest/engine/exactness';
import { previewCsv } from '../../backtest/engine/migration';
import type { ApplyCase, ApplyRequest, PreviewRequest, PreviewResult } from '../../backtest/migration-activities';
import { readCasePage } from '../../backtest/read-model';
import { caseResource } from '../../api/cases/case-resource';
import { policyMigrationsOf } from '../../api/cases/policy-migrations-of';
import { pinnedPolicyOf } from '../../api/policy-checks';
import { targetOf } from '../../policy';
import type { CaseView } from '../../contract/case';
import { caseInput, engineer } from '../fixtures/cases';
import { rid, startHarness, type Harness } from '../workflows/harness';

const HOUR = 3_600_000;
const MINUTE = 60_000;
let h: Harness;
beforeAll(async () => {
  h = await startHarness('time-skipping');
});
afterAll(() => h?.teardown());

// Version 2: Production Severity 2 in 1 hour instead of 3.
const V2 = applyPatch(POLICY_V1.document, { programs: { production: { targets: { '2': { kind: 'wall', ms: HOUR } } } } });
const target = { version: 2, key: 'v2', document: V2 };

async function runToEnd(id: string, request: PreviewRequest | ApplyRequest) {
  await h.database.db.insert(policyBacktests).values({ id, requestedBy: 'adm-dee', request, status: 'running' });
  const handle = await h.env.client.workflow.start(MIGRATION_WORKFLOW_TYPE, {
    workflowId: migrationWorkflowId(id),
    taskQueue: TASK_QUEUE,
    args: [{ id, batchSize: 2 }],
  });
  void handle;
  // Polled, not awaited through the time-skipping client: awaiting a result lets server time jump ahead (timers
  // of the cases would fire and change them between preview and apply).
  for (let i = 0; i < 600; i++) {
    const [row] = await h.database.db.select().from(policyBacktests).where(eq(policyBacktests.id, id));
    if (row && row.status !== 'running') return row;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${id} did not finish`);
}

const migratedEvents = async (caseId: string) =>
  (
    await h.database.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.type, 'policy_migrated')))
  ).map((e) => e.data as { from: string; to: string; clocks: MigratedClock[] });

test('preview and apply agree case by case; once per case; changed, closed and answered cases are left alone', async () => {
  await h.database.db
    .insert(policyVersions)
    .values({ version: 2, key: 'v2', effectiveAt: new Date(await h.now()), document: V2, note: 'P2 in 1 h', publishedBy: 'adm-dee' });
  const t0 = await h.now();
  // Production Severity 2, 3 h under version 1: opened 2 h ago (past the new 1 h: breaches at once), 30 min ago
  // (due 2 h earlier), one answered (stopped clock: unchanged), one that will change after the preview.
  await h.open(caseInput({ caseId: 'mg-old', openedAt: t0, entitlement: 'production', level: 2 }));
  await h.env.sleep(90 * MINUTE);
  await h.open(caseInput({ caseId: 'mg-fresh', openedAt: await h.now(), entitlement: 'production', level: 2 }));
  const answered = await h.open(caseInput({ caseId: 'mg-answered', openedAt: await h.now(), entitlement: 'production', level: 2 }));
  await answered.handle.executeUpdate(engineerResponseUpdate, { args: [{ requestId: rid(), actor: engineer, message: 'on it' }] });
  const changing = await h.open(caseInput({ caseId: 'mg-changing', openedAt: await h.now(), entitlement: 'production', level: 2 }));
  // Production Severity 3 (6 h under both): a running clock the version does not move.
  await h.open(caseInput({ caseId: 'mg-sev3', openedAt: await h.now(), entitlement: 'production', level: 3 }));
  await h.env.sleep(30 * MINUTE);

  const preview = await runToEnd('00000000-0000-4000-8000-0000000000a1', {
    kind: 'migration-preview',
    target,
    selection: { programs: ['production'], openOnly: true },
    asOf: new Date(await h.now()).toISOString(),
  });
  expect(preview.status).toBe('completed');
  const result = preview.result as PreviewResult;
  const rows = new Map(result.rows.map((r) => [r.caseId, r]));
  expect([...rows.keys()].sort()).toEqual(['mg-answered', 'mg-changing', 'mg-fresh', 'mg-old', 'mg-sev3']);
  const fr = (caseId: string) => rows.get(caseId)!.clocks.find((c) => c.clock === 'firstResponse');
  expect(fr('mg-old')).toMatchObject({ oldState: 'running', breachesAtOnce: true, newTarget: '1 hour' });
  expect(Date.parse(fr('mg-fresh')!.oldDueAt!) - Date.parse(fr('mg-fresh')!.newDueAt!)).toBe(2 * HOUR);
  expect(fr('mg-answered')).toBeUndefined(); // stopped: not listed, never rewritten
  expect(fr('mg-sev3')).toMatchObject({ oldDueAt: fr('mg-sev3')!.newDueAt, changed: true });
  expect(result.totals).toMatchObject({ cases: 5, breachesAtOnce: 1, earlier: 2, unchanged: 1, refused: 0 });
  const csv = previewCsv(result.rows);
  expect(csv.split('\r\n')[0]).toMatch(/^caseId,orgId,program,level/);
  expect(csv).toContain('mg-old');

  // mg-changing changes after the preview: the apply must leave it alone.
  await changing.handle.executeUpdate(engineerResponseUpdate, { args: [{ requestId: rid(), actor: engineer, message: 'looking' }] });

  const apply = await runToEnd('00000000-0000-4000-8000-0000000000a2', {
    kind: 'migration-apply',
    previewId: preview.id,
    target,
  });
  expect(apply.status).toBe('completed');
  const outcomes = Object.fromEntries((apply.result as { cases: ApplyCase[] }).cases.map((c) => [c.caseId, c.outcome]));
  expect(outcomes).toEqual({
    'mg-old': 'migrated',
    'mg-fresh': 'migrated',
    'mg-answered': 'migrated',
    'mg-changing': 'stale',
    'mg-sev3': 'migrated',
  });

  // Case by case: what the case recorded is what the preview listed.
  for (const caseId of ['mg-old', 'mg-fresh', 'mg-answered', 'mg-sev3']) {
    const events = await migratedEvents(caseId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ from: '2026-11-01', to: 'v2' });
    const strip = (cs: MigratedClock[]) =>
      cs.map((c) => ({ ...c, elapsedMs: undefined, newDueAt: c.breachesAtOnce ? 'at the migration' : c.newDueAt }));
    expect({ caseId, clocks: strip(events[0]!.clocks) }).toEqual({ caseId, clocks: strip(rows.get(caseId)!.clocks) });
  }
  expect(await migratedEvents('mg-changing')).toEqual([]);

  // The case reports the version it follows now (it used to stay the opening one): the workflow's view, the
  // read model's row, the case resource from either; the level check judges by the new version's targets.
  for (const [caseId, version] of [
    ['mg-fresh', 'v2'],
    ['mg-answered', 'v2'],
    ['mg-changing', '2026-11-01'],
  ] as const) {
    const live = (await h.env.client.workflow.getHandle(`case-${caseId}`).query('getCase')) as CaseView;
    const [row] = await h.database.db.select().from(cases).where(eq(cases.id, caseId));
    expect({ caseId, view: live.policyVersion, row: row!.policyVersion }).toEqual({ caseId, view: version, row: version });
    expect(caseResource(row!, row!.snapshot as CaseView, 'read_model').policyVersion).toBe(version);
    const fr2 = targetOf('production', 2, await pinnedPolicyOf(h.database.db, caseId));
    expect({ caseId, fr2 }).toEqual({ caseId, fr2: { kind: 'wall', ms: version === 'v2' ? HOUR : 3 * HOUR } });
  }
  const [moved] = await policyMigrationsOf(h.database.db, 'mg-fresh');
  expect(moved).toMatchObject({ from: '2026-11-01', to: 'v2', migrationId: '00000000-0000-4000-8000-0000000000a2' });
  expect(moved!.clocks.find((c) => c.clock === 'firstResponse')).toEqual(
    expect.objectContaining({ oldDueAt: fr('mg-fresh')!.oldDueAt, newDueAt: fr('mg-fresh')!.newDueAt, newTarget: '1 hour' }),
  );
  const oldView = await h.env.client.workflow.getHandle('case-mg-old').query('getCase');
  expect((oldView as { clocks: { firstResponse: { state: string } } }).clocks.firstResponse.state).toBe('breached');

  // The owner hears of the earlier due instants (mg-old, mg-fresh), nobody of the unchanged ones.
  const told = await h.database.db.select().from(notifications).where(eq(notifications.kind, 'policy_migrated'));
  expect([...new Set(told.map((n) => n.caseId))].sort()).toEqual(['mg-fresh', 'mg-old']);

  // Applying the same preview again migrates nobody twice.
  const again = await runToEnd('00000000-0000-4000-8000-0000000000a3', { kind: 'migration-apply', previewId: preview.id, target });
  const second = (again.result as { cases: ApplyCase[] }).cases;
  expect(second.filter((c) => c.outcome === 'migrated')).toEqual([]);
  for (const caseId of ['mg-old', 'mg-fresh']) expect(await migratedEvents(caseId)).toHaveLength(1);

  // The migrated trails replay exactly through the back-test engine.
  const until = await h.now();
  const page = await readCasePage(h.database.db, { programs: ['production'] }, null, 100);
  for (const c of page.cases.filter((x) => x.input.caseId.startsWith('mg-')))
    expect({ caseId: c.input.caseId, diff: exactnessDiff(c, until) }).toEqual({ caseId: c.input.caseId, diff: [] });
});
