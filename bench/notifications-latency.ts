/**
 * How close to their due instant are SLA warning and breach notifications recorded?
 *
 * Real Temporal dev server (in memory), real database (PGlite, or PostgreSQL when DATABASE_URL is set), worker
 * and client in this process. Lateness = outbox created_at minus the instant the notification was due.
 *
 * Burst mode: opens N Severity 1 Production cases, each with a customer-update cadence due 40-70 s after
 * opening and a warning at half of it, so the firing overlaps with the opening load.
 *
 *   npx tsx bench/notifications-latency.ts [cases=1000] [concurrency=50]
 *
 * Background mode: first opens B Severity 4 Production cases (first response due in 8 h, warnings at 6 h and
 * 7.2 h: open cases holding timers, most of them evicted from the worker's sticky cache), waits until the
 * worker is quiet, then opens P Severity 1 probes whose warnings fall 30-60 s and breaches 60-120 s after their
 * opening, and reports the probes' lateness alone: timer precision among many open cases.
 *
 *   npx tsx bench/notifications-latency.ts --background B --probes P [--cache N] [--concurrency C] [--probe-concurrency Q]
 *
 * --cache is the worker's maxCachedWorkflows (default: the SDK's default, derived from the heap limit).
 * --concurrency (default 50) opens the background; --probe-concurrency (default 5) the probes. A timer is set
 * with a duration from the start of the task that sets it, so a probe opened under heavy opening load has its
 * warning planned late by that task's time: the lateness breakdown below shows it apart from the timer itself.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { and, inArray, like, sql } from 'drizzle-orm';
import { tsToMs } from '@temporalio/common/lib/time';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Database } from '../db/client';
import { notifications } from '../db/schema';
import { createCaseWorker } from '../worker/create-worker';
import { caseWorkflow } from '../workflows';
import { caseWorkflowId, openedUpdate, TASK_QUEUE, type CaseWorkflowInput } from '../contract/case';
import { caseInput, insertOrganisation } from '../test/fixtures/cases';
import { createDevServerEnv } from '../test/helpers/temporal';
import { createTestDatabase } from '../test/helpers/db';

const KINDS = ['sla_warning', 'sla_breach'];
const CLOCK_TICKS_PER_SECOND = 100; // Linux USER_HZ, the unit of utime/stime in /proc/<pid>/stat

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens cases with `concurrency` clients in flight; `onOpened` sees each count (for progress lines). */
async function openCases(
  env: TestWorkflowEnvironment,
  count: number,
  concurrency: number,
  inputFor: (i: number) => CaseWorkflowInput,
  onOpened: (opened: number) => void = () => undefined,
): Promise<{ seconds: number; latencies: number[] }> {
  const start = Date.now();
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const input = inputFor(next++);
        const t0 = Date.now();
        const handle = await env.client.workflow.start(caseWorkflow, {
          workflowId: caseWorkflowId(input.caseId),
          taskQueue: TASK_QUEUE,
          args: [input],
        });
        await handle.executeUpdate(openedUpdate, { args: [{ requestId: 'open' }] });
        latencies.push(Date.now() - t0);
        onOpened(latencies.length);
      }
    }),
  );
  return { seconds: (Date.now() - start) / 1000, latencies: latencies.sort((a, b) => a - b) };
}

/** Warning and breach rows for the case owner (the duty manager's copy of a breach is the same event). */
function ownerRows(database: Database, caseIdPrefix: string) {
  return database.db
    .select({ caseId: notifications.caseId, kind: notifications.kind, createdAt: notifications.createdAt, payload: notifications.payload })
    .from(notifications)
    .where(
      and(
        inArray(notifications.kind, KINDS),
        like(notifications.caseId, `${caseIdPrefix}%`),
        sql`${notifications.recipient} <> 'manager:duty'`,
      ),
    );
}

async function waitForRows(database: Database, caseIdPrefix: string, expected: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const [row] = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(notifications)
      .where(
        and(
          inArray(notifications.kind, KINDS),
          like(notifications.caseId, `${caseIdPrefix}%`),
          sql`${notifications.recipient} <> 'manager:duty'`,
        ),
      );
    if (row!.n >= expected) return;
    await sleep(1000);
  }
}

function latenessOf(rows: Awaited<ReturnType<typeof ownerRows>>): number[] {
  return rows.map((r) => r.createdAt.getTime() - Date.parse((r.payload as { scheduledFor: string }).scheduledFor)).sort((a, b) => a - b);
}

/**
 * Where the lateness of each probe notification goes, from the workflow histories: the case's single timer is
 * started with a duration computed from workflow time (the start of the task that set it), so it is planned to
 * fire late by however long that task took to complete (skew); then the server fires it (server); then the worker
 * runs the task and writes the outbox row (worker: dispatch, rules, database write).
 */
async function latenessParts(env: TestWorkflowEnvironment, database: Database, caseIdPrefix: string, probes: number) {
  const parts = { skew: [] as number[], server: [] as number[], worker: [] as number[] };
  const rows = await ownerRows(database, caseIdPrefix);
  for (let i = 0; i < probes; i++) {
    const caseId = `${caseIdPrefix}${i}`;
    const history = await env.client.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory();
    const started = new Map<string, { at: number; timeoutMs: number }>();
    const fired: { plannedAt: number; firedAt: number }[] = [];
    for (const e of history.events ?? []) {
      if (e.timerStartedEventAttributes) {
        started.set(String(e.eventId), { at: tsToMs(e.eventTime), timeoutMs: tsToMs(e.timerStartedEventAttributes.startToFireTimeout) });
      } else if (e.timerFiredEventAttributes) {
        const s = started.get(String(e.timerFiredEventAttributes.startedEventId))!;
        fired.push({ plannedAt: s.at + s.timeoutMs, firedAt: tsToMs(e.eventTime) });
      }
    }
    for (const row of rows.filter((r) => r.caseId === caseId)) {
      const due = Date.parse((row.payload as { scheduledFor: string }).scheduledFor);
      const timer = fired.filter((f) => f.firedAt >= due).sort((a, b) => a.firedAt - b.firedAt)[0];
      if (!timer) continue;
      parts.skew.push(timer.plannedAt - due);
      parts.server.push(timer.firedAt - timer.plannedAt);
      parts.worker.push(row.createdAt.getTime() - timer.firedAt);
    }
  }
  for (const list of Object.values(parts)) list.sort((a, b) => a - b);
  return parts;
}

const ms = (sorted: number[]) =>
  `p50 ${percentile(sorted, 50)} ms, p90 ${percentile(sorted, 90)} ms, p95 ${percentile(sorted, 95)} ms, p99 ${percentile(sorted, 99)} ms, max ${sorted.at(-1)} ms, min ${sorted[0]} ms`;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** The dev server is our child process: its CPU ticks and RSS come from /proc (Linux only; zeros elsewhere). */
function childProcesses(): { cpuSeconds: number; rssBytes: number } {
  let cpuSeconds = 0;
  let rssBytes = 0;
  try {
    for (const tid of readdirSync(`/proc/${process.pid}/task`)) {
      for (const pid of readFileSync(`/proc/${process.pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean)) {
        // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        cpuSeconds += (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
        rssBytes += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
      }
    }
  } catch {
    // Not Linux, or a child exited between the listing and the read: report what was read.
  }
  return { cpuSeconds, rssBytes };
}

const processCpuSeconds = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${availableParallelism()} cores`;

/**
 * Quiet = no workflow activation or activity in flight and under 10 % of a core used by this process and the
 * dev server together, for 5 seconds in a row (at most 3 minutes of waiting).
 */
async function waitUntilQuiet(worker: Worker): Promise<number> {
  const start = Date.now();
  let quietSeconds = 0;
  let cpu = processCpuSeconds() + childProcesses().cpuSeconds;
  while (quietSeconds < 5 && Date.now() - start < 180_000) {
    await sleep(1000);
    const now = processCpuSeconds() + childProcesses().cpuSeconds;
    const status = worker.getStatus();
    const idle = status.numInFlightWorkflowActivations === 0 && status.numInFlightActivities === 0 && now - cpu < 0.1;
    quietSeconds = idle ? quietSeconds + 1 : 0;
    cpu = now;
  }
  return (Date.now() - start) / 1000;
}

async function burst(cases: number, concurrency: number): Promise<void> {
  const env = await createDevServerEnv();
  const database = await createTestDatabase();
  await insertOrganisation(database);
  const worker = await createCaseWorker({ connection: env.nativeConnection, database, notifier: null, maxCachedWorkflows: cases + 100 });
  const running = worker.run();
  const prefix = `bench-${randomUUID().slice(0, 8)}-`;
  const cpuStart = process.cpuUsage();
  try {
    const opened = await openCases(env, cases, concurrency, (i) =>
      caseInput({
        caseId: `${prefix}${i}`,
        openedAt: Date.now(),
        entitlement: 'production',
        level: 1,
        settings: { sev1UpdateCadenceMinutes: (40 + (i % 31)) / 60, warningThresholds: [0.5] },
      }),
    );
    console.log(
      `opened ${cases} cases in ${opened.seconds.toFixed(1)} s (${(cases / opened.seconds).toFixed(0)}/s; open p50 ${percentile(opened.latencies, 50)} ms, p99 ${percentile(opened.latencies, 99)} ms)`,
    );

    const expected = cases * 2;
    await waitForRows(database, prefix, expected, Date.now() + 5 * 60_000);
    const rows = await ownerRows(database, prefix);
    const lateness = latenessOf(rows);
    const times = rows.map((r) => r.createdAt.getTime()).sort((a, b) => a - b);
    const span = (times.at(-1)! - times[0]!) / 1000;
    console.log(`notifications recorded: ${rows.length} of ${expected} expected (warnings + breaches, one row per event for the owner)`);
    console.log(`lateness after due instant: ${ms(lateness)}`);
    console.log(`throughput: ${(rows.length / span).toFixed(0)} notifications/s over ${span.toFixed(1)} s; database: ${database.kind}`);
    const cpu = process.cpuUsage(cpuStart);
    // Worker + client + database in this process; the dev server's own CPU is not included.
    console.log(
      `worker-process CPU: ${((cpu.user + cpu.system) / 1000 / cases).toFixed(1)} ms per case (open + warning + breach); ${load()}`,
    );
  } finally {
    worker.shutdown();
    await running;
    await env.teardown();
    await database.close();
  }
}

async function background(
  backgroundCases: number,
  probes: number,
  concurrency: number,
  probeConcurrency: number,
  cache: number | undefined,
): Promise<void> {
  const env = await createDevServerEnv();
  const database = await createTestDatabase();
  await insertOrganisation(database);
  const worker = await createCaseWorker({ connection: env.nativeConnection, database, notifier: null, maxCachedWorkflows: cache });
  const running = worker.run();
  const run = randomUUID().slice(0, 8);
  try {
    console.log(
      `worker maxCachedWorkflows ${worker.options.maxCachedWorkflows}${cache === undefined ? ' (SDK default for this heap)' : ''}, ` +
        `maxConcurrentWorkflowTaskExecutions ${worker.options.maxConcurrentWorkflowTaskExecutions}; database: ${database.kind}; ${load()}`,
    );

    // Background: Severity 4 Production, first response due in 8 hours; nothing of theirs fires during the run.
    const progressEvery = Math.max(1, Math.round(backgroundCases / 10));
    let chunkStart = Date.now();
    const bg = await openCases(
      env,
      backgroundCases,
      concurrency,
      (i) => caseInput({ caseId: `bg-${run}-${i}`, openedAt: Date.now(), entitlement: 'production', level: 4 }),
      (n) => {
        if (n % progressEvery !== 0) return;
        const now = Date.now();
        console.log(
          `  background ${n}/${backgroundCases}: last ${progressEvery} at ${((progressEvery * 1000) / (now - chunkStart)).toFixed(0)}/s; ` +
            `bench RSS ${mb(process.memoryUsage().rss)}, dev server RSS ${mb(childProcesses().rssBytes)}, cached workflows ${worker.getStatus().numCachedWorkflows}`,
        );
        chunkStart = now;
      },
    );
    console.log(
      `opened ${backgroundCases} background cases in ${bg.seconds.toFixed(1)} s (${(backgroundCases / bg.seconds).toFixed(1)}/s; ` +
        `open p50 ${percentile(bg.latencies, 50)} ms, p99 ${percentile(bg.latencies, 99)} ms)`,
    );
    const quietAfter = await waitUntilQuiet(worker);
    console.log(`quiet after ${quietAfter.toFixed(0)} s; cached workflows ${worker.getStatus().numCachedWorkflows}; ${load()}`);

    // Probes: Severity 1 Production, update cadence 60-120 s with a warning at half of it.
    const prefix = `probe-${run}-`;
    const cpuStart = processCpuSeconds();
    const childCpuStart = childProcesses().cpuSeconds;
    const probeStart = Date.now();
    const dueInstants: number[] = [];
    const opened = await openCases(env, probes, probeConcurrency, (i) => {
      const openedAt = Date.now();
      const cadenceMs = (60 + (i % 61)) * 1000;
      dueInstants.push(openedAt + cadenceMs / 2, openedAt + cadenceMs);
      return caseInput({
        caseId: `${prefix}${i}`,
        openedAt,
        entitlement: 'production',
        level: 1,
        settings: { sev1UpdateCadenceMinutes: cadenceMs / 60_000, warningThresholds: [0.5] },
      });
    });
    const probesOpenAt = Date.now();
    dueInstants.sort((a, b) => a - b);
    console.log(
      `opened ${probes} probes in ${opened.seconds.toFixed(1)} s (${(probes / opened.seconds).toFixed(1)}/s; open p50 ${percentile(opened.latencies, 50)} ms, ` +
        `p99 ${percentile(opened.latencies, 99)} ms); due instants from +${((dueInstants[0]! - probeStart) / 1000).toFixed(0)} s to ` +
        `+${((dueInstants.at(-1)! - probeStart) / 1000).toFixed(0)} s, ${dueInstants.filter((t) => t <= probesOpenAt).length} of them before the last probe was open`,
    );

    const expected = probes * 2;
    await waitForRows(database, prefix, expected, dueInstants.at(-1)! + 3 * 60_000);
    // CPU and memory of the probe phase, read before the history analysis below adds its own load.
    const probeSeconds = (Date.now() - probeStart) / 1000;
    const probeCpu = processCpuSeconds() - cpuStart;
    const memory = process.memoryUsage();
    const child = childProcesses();
    const cached = worker.getStatus().numCachedWorkflows;

    const rows = await ownerRows(database, prefix);
    console.log(`probe notifications recorded: ${rows.length} of ${expected} expected (warnings + breaches, the owner's row per event)`);
    console.log(`probe lateness after due instant: ${ms(latenessOf(rows))}`);
    for (const kind of KINDS) console.log(`  ${kind}: ${ms(latenessOf(rows.filter((r) => r.kind === kind)))}`);
    const parts = await latenessParts(env, database, prefix, probes);
    console.log(`  timer planned late (set from the start of a task that took this long): ${ms(parts.skew)}`);
    console.log(`  server fired it after the planned instant: ${ms(parts.server)}`);
    console.log(`  worker recorded the outbox row after the fire: ${ms(parts.worker)}`);
    console.log(
      `probe phase ${probeSeconds.toFixed(0)} s: bench process (worker + client + ${database.kind}) ${((probeCpu / probeSeconds) * 100).toFixed(0)} % of a core, ` +
        `dev server ${(((child.cpuSeconds - childCpuStart) / probeSeconds) * 100).toFixed(0)} %; ${load()}`,
    );
    console.log(
      `memory at the end: bench RSS ${mb(memory.rss)} (heap used ${mb(memory.heapUsed)}), dev server RSS ${mb(child.rssBytes)}; ` +
        `cached workflows ${cached} of ${worker.options.maxCachedWorkflows}; open cases ${backgroundCases + probes}`,
    );
  } finally {
    worker.shutdown();
    await running;
    await env.teardown();
    await database.close();
  }
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    background: { type: 'string' },
    probes: { type: 'string' },
    cache: { type: 'string' },
    concurrency: { type: 'string' },
    'probe-concurrency': { type: 'string' },
  },
});

const main =
  values.background !== undefined
    ? background(
        Number(values.background),
        Number(values.probes ?? 200),
        Number(values.concurrency ?? 50),
        Number(values['probe-concurrency'] ?? 5),
        values.cache === undefined ? undefined : Number(values.cache),
      )
    : burst(Number(positionals[0] ?? 1000), Number(positionals[1] ?? 50));

main.catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
