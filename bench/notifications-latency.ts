/**
 * How close to their due instant are SLA warning and breach notifications recorded?
 *
 * Opens many Severity 1 Production cases on a real Temporal dev server (in memory) with a real database
 * (PGlite, or PostgreSQL when DATABASE_URL is set), each with a customer-update cadence due 40-70 s after
 * opening and a warning at half of it. Then waits for every warning and breach to land in the outbox and
 * prints how late each was recorded (outbox created_at minus the instant it was due), plus throughput.
 *
 *   npx tsx bench/notifications-latency.ts [cases=1000] [concurrency=50]
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { and, inArray, sql } from 'drizzle-orm';
import { notifications } from '../db/schema';
import { createCaseWorker } from '../worker/create-worker';
import { caseWorkflow } from '../workflows';
import { caseWorkflowId, openedUpdate, TASK_QUEUE } from '../workflows/contract';
import { caseInput } from '../test/fixtures/cases';
import { createDevServerEnv } from '../test/helpers/temporal';
import { createTestDatabase } from '../test/helpers/db';
import { insertOrganisation } from '../test/fixtures/cases';

const CASES = Number(process.argv[2] ?? 1000);
const CONCURRENCY = Number(process.argv[3] ?? 50);

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const env = await createDevServerEnv();
  const database = await createTestDatabase();
  await insertOrganisation(database);
  const worker = await createCaseWorker({ connection: env.nativeConnection, database, notifier: null, maxCachedWorkflows: CASES + 100 });
  const running = worker.run();
  const run = randomUUID().slice(0, 8);
  const cpuStart = process.cpuUsage();
  try {
    const openStart = Date.now();
    let next = 0;
    const openLatencies: number[] = [];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < CASES) {
          const i = next++;
          const caseId = `bench-${run}-${i}`;
          const cadenceSeconds = 40 + (i % 31);
          const input = caseInput({
            caseId,
            openedAt: Date.now(),
            entitlement: 'production',
            level: 1,
            settings: { sev1UpdateCadenceMinutes: cadenceSeconds / 60, warningThresholds: [0.5] },
          });
          const t0 = Date.now();
          const handle = await env.client.workflow.start(caseWorkflow, { workflowId: caseWorkflowId(caseId), taskQueue: TASK_QUEUE, args: [input] });
          await handle.executeUpdate(openedUpdate, { args: [{ requestId: 'open' }] });
          openLatencies.push(Date.now() - t0);
        }
      }),
    );
    const openSeconds = (Date.now() - openStart) / 1000;
    openLatencies.sort((a, b) => a - b);
    console.log(
      `opened ${CASES} cases in ${openSeconds.toFixed(1)} s (${(CASES / openSeconds).toFixed(0)}/s; open p50 ${percentile(openLatencies, 50)} ms, p99 ${percentile(openLatencies, 99)} ms)`,
    );

    const expected = CASES * 2;
    const kinds = ['sla_warning', 'sla_breach'];
    const deadline = Date.now() + 5 * 60_000;
    let count = 0;
    while (Date.now() < deadline) {
      const [row] = await database.db
        .select({ n: sql<number>`count(*)::int` })
        .from(notifications)
        .where(and(inArray(notifications.kind, kinds), sql`${notifications.recipient} <> 'manager:duty'`));
      count = row!.n;
      if (count >= expected) break;
      await new Promise((r) => setTimeout(r, 1000));
    }

    const rows = await database.db
      .select({ kind: notifications.kind, createdAt: notifications.createdAt, payload: notifications.payload })
      .from(notifications)
      .where(and(inArray(notifications.kind, kinds), sql`${notifications.recipient} <> 'manager:duty'`));
    const lateness = rows.map((r) => r.createdAt.getTime() - Date.parse((r.payload as { scheduledFor: string }).scheduledFor)).sort((a, b) => a - b);
    const times = rows.map((r) => r.createdAt.getTime()).sort((a, b) => a - b);
    const span = (times.at(-1)! - times[0]!) / 1000;
    console.log(`notifications recorded: ${rows.length} of ${expected} expected (warnings + breaches, one row per event for the owner)`);
    console.log(
      `lateness after due instant: p50 ${percentile(lateness, 50)} ms, p90 ${percentile(lateness, 90)} ms, p99 ${percentile(lateness, 99)} ms, max ${lateness.at(-1)} ms, min ${lateness[0]} ms`,
    );
    console.log(`throughput: ${(rows.length / span).toFixed(0)} notifications/s over ${span.toFixed(1)} s; database: ${database.kind}`);
    const cpu = process.cpuUsage(cpuStart);
    // Worker + client + database in this process; the dev server's own CPU is not included.
    console.log(
      `worker-process CPU: ${((cpu.user + cpu.system) / 1000 / CASES).toFixed(1)} ms per case (open + warning + breach); load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${availableParallelism()} cores`,
    );
  } finally {
    worker.shutdown();
    await running;
    await env.teardown();
    await database.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
