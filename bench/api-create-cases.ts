/**
 * POST /v1/cases end to end: HTTP -> auth -> validation -> update-with-start -> workflow -> activity writes
 * the case row -> 201 with SLA due times. One process hosts the API, the case worker and the database
 * (PGlite in memory, or PostgreSQL with DATABASE_URL), next to a Temporal dev server: `npm start`'s topology.
 *
 *   npx tsx bench/api-create-cases.ts [cases=2000] [concurrency=32]
 *
 * Prints throughput, latency percentiles, memory and CPU per case. Every request carries an Idempotency-Key,
 * as a well-behaved client would; replaying them all afterwards measures the API's own share.
 */
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { createApp } from '../api/app';
import { seedDemo } from '../runtime/demo-seed';
import { ensureTemporalCli } from '../runtime/temporal-toolchain';
import { createTestDatabase } from '../test/helpers/db';
import { createCaseWorker } from '../worker/create-worker';
import { demoCaseBody, OPENERS } from './demo-openers';
import { CaseProgram, CaseRegion, CaseSeverity, CaseStatus, NextDueAt, SlaState, SupportId } from '../workflows/search-attributes';

const TOTAL = Number(process.argv[2] ?? 2000);
const CONCURRENCY = Number(process.argv[3] ?? 32);
const WARMUP = Math.min(200, Math.ceil(TOTAL / 10));

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  // A fresh database (in-memory PGlite, or a new database on DATABASE_URL's server, dropped afterwards).
  const database = await createTestDatabase();
  const { tokens } = await seedDemo(database.db);
  const tokenOf = Object.fromEntries(tokens.map((t) => [t.principalId, t.token]));
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: ensureTemporalCli() },
      searchAttributes: [CaseSeverity, CaseProgram, CaseStatus, SlaState, NextDueAt, CaseRegion, SupportId],
      extraArgs: ['--log-level', 'error'],
    },
  });
  const worker = await createCaseWorker({ connection: env.nativeConnection, database, notifier: null });
  const running = worker.run();
  const app = createApp({ database, temporal: env.client, logger: pino({ level: 'warn' }), rateLimitPerMinute: 1_000_000 });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let next = 0;
  const failures = new Map<number, number>();
  async function openOne(i: number): Promise<number> {
    const o = OPENERS[i % OPENERS.length];
    const started = performance.now();
    const res = await fetch(`${base}/v1/cases`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokenOf[o.principalId]}`, 'Content-Type': 'application/json', 'Idempotency-Key': `bench-${i}` },
      body: demoCaseBody(o, `Bench case ${i}`),
    });
    const body = (await res.json()) as { sla?: { firstResponse?: { state: string } } };
    if (res.status !== 201 || !body.sla?.firstResponse?.state) failures.set(res.status, (failures.get(res.status) ?? 0) + 1);
    return performance.now() - started;
  }
  async function run(count: number, offset: number): Promise<number[]> {
    next = 0;
    const latencies: number[] = [];
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, count) }, async () => {
        while (next < count) latencies.push(await openOne(offset + next++));
      }),
    );
    return latencies;
  }

  await run(WARMUP, 1_000_000);
  failures.clear();
  global.gc?.();
  const before = process.memoryUsage();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const latencies = (await run(TOTAL, 0)).sort((a, b) => a - b);
  const seconds = (performance.now() - started) / 1000;
  const after = process.memoryUsage();
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;

  const lines = [
    `POST /v1/cases end to end (${database.kind}, dev server, worker in process), ${TOTAL} cases, concurrency ${CONCURRENCY}, after ${WARMUP} warm-up`,
    `  throughput   ${(TOTAL / seconds).toFixed(0)} cases/s (${seconds.toFixed(1)} s)`,
    // The machine may be shared: CPU time of this process (API + worker + embedded database) is the steadier figure.
    `  cpu          ${cpuSeconds.toFixed(1)} CPU-s in this process = ${((cpuSeconds * 1000) / TOTAL).toFixed(1)} CPU-ms per case (${(TOTAL / cpuSeconds).toFixed(0)} cases per CPU-s); load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`,
    `  latency ms   p50 ${percentile(latencies, 50).toFixed(0)}  p95 ${percentile(latencies, 95).toFixed(0)}  p99 ${percentile(latencies, 99).toFixed(0)}  max ${latencies[latencies.length - 1].toFixed(0)}`,
    `  memory       rss ${mb(before.rss)} -> ${mb(after.rss)}, heap used ${mb(before.heapUsed)} -> ${mb(after.heapUsed)}`,
    `  failures     ${failures.size === 0 ? 'none' : JSON.stringify(Object.fromEntries(failures))}`,
  ];
  // The same requests again: every one is an idempotent replay, so this is the API and database alone
  // (auth, validation, idempotency lookup), without the workflow: the API's own share of the cost.
  const replayCpu = process.cpuUsage();
  const replayStarted = performance.now();
  const replays = (await run(TOTAL, 0)).sort((a, b) => a - b);
  const replaySeconds = (performance.now() - replayStarted) / 1000;
  const replayCpuMs = ((c) => (c.user + c.system) / 1000)(process.cpuUsage(replayCpu));
  lines.push(
    `  replays      ${(TOTAL / replaySeconds).toFixed(0)} req/s, ${(replayCpuMs / TOTAL).toFixed(1)} CPU-ms per request, p50 ${percentile(replays, 50).toFixed(0)} ms, p99 ${percentile(replays, 99).toFixed(0)} ms (same keys: API + database only)`,
  );
  process.stdout.write(lines.join('\n') + '\n');

  server.close();
  worker.shutdown();
  await running;
  await env.teardown();
  await database.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
