/**
 * Policy migration of open cases, preview and apply, on the dev topology (Temporal dev server, one worker
 * process, the database of the test helpers: PGlite, or PostgreSQL with DATABASE_URL):
 *
 *   npx tsx bench/policy-migration.ts [cases] [probes] [bulk]     (defaults 1,000, 60 and 10,000)
 *
 * First a preview over `bulk` open cases loaded straight into the read model (test/helpers/bulk-cases.ts, plus
 * each case's kept input and its opening trail written by the case machine itself), no workflows: the
 * preview reads and replays only what the database holds. Then opens `cases` real case workflows (Production Severity 3, 6 h) and `probes` other cases (Severity 2 with a
 * pinned 10-minute target and a warning every 5 % (every 30 s), opened 2 s apart) whose warnings and breaches keep falling
 * due while the migration runs. Then previews the migration of the Severity 3 cases to a version 2 with a 4 h
 * target, applies it, and reports each phase's duration and cases per second, the apply's outcomes, and the
 * lateness of the probes' notices (outbox row written - instant it was due) inside each phase's window.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { and, eq, inArray, like, sql } from 'drizzle-orm';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { caseWorkflowId, openedUpdate, TASK_QUEUE, type CaseWorkflowInput } from '../contract/case';
import { MIGRATION_WORKFLOW_TYPE, migrationWorkflowId } from '../contract/backtest';
import type { Database } from '../db/client';
import { caseEvents, caseInputs, cases, notifications, policyBacktests, policyVersions } from '../db/schema';
import type { EntitlementId, Level } from '../policy/types';
import { replay } from '../backtest/engine/replay';
import { insertOpenCases } from '../test/helpers/bulk-cases';
import { seedDemo } from '../runtime/demo-seed';
import { applyPatch, pinnedPolicy, POLICY_V1 } from '../policy';
import type { ApplyRequest, MigrationRequest, PreviewRequest } from '../backtest/migration-activities';
import { createCaseWorker } from '../worker/create-worker';
import { caseWorkflow } from '../workflows';
import { caseInput, insertOrganisation } from '../test/fixtures/cases';
import { createDevServerEnv } from '../test/helpers/temporal';
import { createTestDatabase } from '../test/helpers/db';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${availableParallelism()} cores`;

async function openCases(env: TestWorkflowEnvironment, inputs: CaseWorkflowInput[], concurrency: number): Promise<number> {
  const start = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, inputs.length) }, async () => {
      while (next < inputs.length) {
        const input = inputs[next++]!;
        const handle = await env.client.workflow.start(caseWorkflow, {
          workflowId: caseWorkflowId(input.caseId),
          taskQueue: TASK_QUEUE,
          args: [input],
        });
        await handle.executeUpdate(openedUpdate, { args: [{ requestId: 'open' }] });
      }
    }),
  );
  return (Date.now() - start) / 1000;
}

async function runMigration(
  env: TestWorkflowEnvironment,
  database: Database,
  request: MigrationRequest,
): Promise<{ id: string; seconds: number; start: number; end: number }> {
  const id = randomUUID();
  await database.db.insert(policyBacktests).values({ id, requestedBy: 'adm-bench', request, status: 'running' });
  const start = Date.now();
  await env.client.workflow.start(MIGRATION_WORKFLOW_TYPE, { workflowId: migrationWorkflowId(id), taskQueue: TASK_QUEUE, args: [{ id }] });
  for (;;) {
    const [row] = await database.db
      .select({ status: policyBacktests.status, error: policyBacktests.error })
      .from(policyBacktests)
      .where(eq(policyBacktests.id, id));
    if (row && row.status !== 'running') {
      if (row.status !== 'completed') throw new Error(`${request.kind} ${row.status}: ${row.error}`);
      break;
    }
    await sleep(250);
  }
  const end = Date.now();
  return { id, seconds: (end - start) / 1000, start, end };
}

async function probeLateness(database: Database, prefix: string, from: number, to: number): Promise<number[]> {
  const rows = await database.db
    .select({ createdAt: notifications.createdAt, payload: notifications.payload })
    .from(notifications)
    .where(
      and(
        inArray(notifications.kind, ['sla_warning', 'sla_breach']),
        like(notifications.caseId, `${prefix}%`),
        sql`${notifications.recipient} <> 'manager:duty'`,
      ),
    );
  return rows
    .map((r) => ({ due: Date.parse((r.payload as { scheduledFor: string }).scheduledFor), at: r.createdAt.getTime() }))
    .filter((r) => r.due >= from && r.due <= to)
    .map((r) => r.at - r.due)
    .sort((a, b) => a - b);
}

const describe = (l: number[]) =>
  l.length === 0
    ? 'no probe notice fell due in the window'
    : `${l.length} notices: p50 ${pct(l, 50)} ms, p99 ${pct(l, 99)} ms, max ${l.at(-1)} ms`;

/** The preview over `count` bulk-loaded open cases (read model, kept inputs, opening trails; no workflows). */
async function bulkPreview(env: TestWorkflowEnvironment, database: Database, count: number): Promise<void> {
  const now = Date.now();
  const t0 = Date.now();
  await insertOpenCases(database.db, count, now);
  const rows = await database.db
    .select({ id: cases.id, orgId: cases.orgId, entitlement: cases.entitlement, level: cases.level, openedAt: cases.openedAt })
    .from(cases)
    .where(eq(cases.policyVersion, 'bulk'));
  for (let i = 0; i < rows.length; i += 500) {
    const inputs = [];
    const events = [];
    for (const r of rows.slice(i, i + 500)) {
      const input = {
        ...caseInput({
          caseId: r.id,
          openedAt: r.openedAt.getTime(),
          entitlement: r.entitlement as EntitlementId,
          level: r.level as Level,
        }),
        orgId: r.orgId,
      };
      inputs.push({ caseId: r.id, policyVersion: input.policyVersion, input });
      for (const e of replay(input, [], now).events)
        events.push({ caseId: r.id, eventKey: e.key, type: e.type, actorId: e.actorId, data: e.data, occurredAt: new Date(e.at) });
    }
    await database.db.insert(caseInputs).values(inputs);
    await database.db.insert(caseEvents).values(events);
  }
  console.log(`bulk-loaded ${rows.length} open cases with inputs and trails in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const v2 = applyPatch(POLICY_V1.document, {
    programs: Object.fromEntries(
      (['basic', 'production', 'premier'] as const).map((p) => [p, { targets: { '2': { kind: 'wall', ms: 2 * HOUR } } }]),
    ),
  });
  await database.db
    .insert(policyVersions)
    .values({ version: 3, key: 'v3', effectiveAt: new Date(), document: v2, note: 'bench bulk', publishedBy: 'adm-bench' });
  const preview = await runMigration(env, database, {
    kind: 'migration-preview',
    target: { version: 3, key: 'v3', document: v2 },
    selection: { openOnly: true, openedFrom: new Date(now - 600 * MINUTE).toISOString() },
    asOf: new Date().toISOString(),
  } satisfies PreviewRequest);
  const [p] = await database.db
    .select({ processed: policyBacktests.processed, result: policyBacktests.result })
    .from(policyBacktests)
    .where(eq(policyBacktests.id, preview.id));
  console.log(
    `preview (bulk): ${p!.processed} cases in ${preview.seconds.toFixed(1)} s (${(p!.processed / preview.seconds).toFixed(0)} cases/s); totals ${JSON.stringify((p!.result as { totals: unknown }).totals)}; ${load()}`,
  );
  await database.db.delete(caseEvents).where(
    inArray(
      caseEvents.caseId,
      rows.map((r) => r.id),
    ),
  );
  await database.db.delete(caseInputs).where(
    inArray(
      caseInputs.caseId,
      rows.map((r) => r.id),
    ),
  );
  await database.db.delete(cases).where(eq(cases.policyVersion, 'bulk'));
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 1_000);
  const probes = Number(process.argv[3] ?? 60);
  const bulkCount = Number(process.argv[4] ?? 10_000);
  const env = await createDevServerEnv();
  const database = await createTestDatabase();
  await insertOrganisation(database);
  await seedDemo(database.db); // the organisations the bulk loader spreads its cases over
  const worker = await createCaseWorker({
    connection: env.nativeConnection,
    database,
    notifier: null,
    maxCachedWorkflows: count + probes + 100,
  });
  const running = worker.run();
  const run = randomUUID().slice(0, 8);
  const probePrefix = `probe-${run}-`;
  try {
    console.log(`database: ${database.kind}; ${load()}`);
    if (bulkCount > 0) await bulkPreview(env, database, bulkCount);
    const bulk = Array.from({ length: count }, (_, i) =>
      caseInput({ caseId: `mig-${run}-${i}`, openedAt: Date.now(), entitlement: 'production', level: 3 }),
    );
    const openedIn = await openCases(
      env,
      bulk.map((c) => ({ ...c, openedAt: new Date().toISOString() })),
      40,
    );
    console.log(`opened ${count} Severity 3 cases in ${openedIn.toFixed(1)} s (${(count / openedIn).toFixed(0)}/s)`);

    // Probes: 10-minute target, a warning every 5 % (30 s), opened 2 s apart so their notices keep coming.
    const probeDoc = applyPatch(POLICY_V1.document, { programs: { production: { targets: { '2': { kind: 'wall', ms: 10 * MINUTE } } } } });
    void (async () => {
      for (let i = 0; i < probes; i++) {
        const input = {
          ...caseInput({
            caseId: `${probePrefix}${i}`,
            openedAt: Date.now(),
            entitlement: 'production',
            level: 2,
            settings: { warningThresholds: Array.from({ length: 19 }, (_, k) => (k + 1) / 20) },
          }),
          policy: pinnedPolicy(probeDoc, 'production'),
        };
        await openCases(env, [{ ...input, openedAt: new Date().toISOString() }], 1);
        await sleep(2_000);
      }
    })();
    await sleep((5 * MINUTE) / 5); // the first probes are running

    const v2 = applyPatch(POLICY_V1.document, { programs: { production: { targets: { '3': { kind: 'wall', ms: 4 * HOUR } } } } });
    await database.db
      .insert(policyVersions)
      .values({ version: 2, key: 'v2', effectiveAt: new Date(), document: v2, note: 'bench', publishedBy: 'adm-bench' });
    const target = { version: 2, key: 'v2', document: v2 };

    const preview = await runMigration(env, database, {
      kind: 'migration-preview',
      target,
      selection: { programs: ['production'], levels: [3], openOnly: true },
      asOf: new Date().toISOString(),
    } satisfies PreviewRequest);
    const [p] = await database.db
      .select({ processed: policyBacktests.processed, result: policyBacktests.result })
      .from(policyBacktests)
      .where(eq(policyBacktests.id, preview.id));
    console.log(
      `preview: ${p!.processed} cases in ${preview.seconds.toFixed(1)} s (${(p!.processed / preview.seconds).toFixed(0)} cases/s); totals ${JSON.stringify((p!.result as { totals: unknown }).totals)}; ${load()}`,
    );
    console.log(
      `  probe notices due during the preview: ${describe(await probeLateness(database, probePrefix, preview.start, preview.end))}`,
    );

    const apply = await runMigration(env, database, { kind: 'migration-apply', previewId: preview.id, target } satisfies ApplyRequest);
    await sleep(3000); // notices due at the end of the window are written
    const [a] = await database.db
      .select({ processed: policyBacktests.processed, result: policyBacktests.result })
      .from(policyBacktests)
      .where(eq(policyBacktests.id, apply.id));
    console.log(
      `apply: ${a!.processed} cases in ${apply.seconds.toFixed(1)} s (${(a!.processed / apply.seconds).toFixed(0)} cases/s); outcomes ${JSON.stringify((a!.result as { counts: unknown }).counts)}; ${load()}`,
    );
    console.log(`  probe notices due during the apply: ${describe(await probeLateness(database, probePrefix, apply.start, apply.end))}`);
  } finally {
    worker.shutdown();
    await running;
    await env.teardown();
    await database.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
