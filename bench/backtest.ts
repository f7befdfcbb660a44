/**
 * Back-test benchmark: `npx tsx bench/backtest.ts [cases] [exactnessCases]` (defaults 100,000 and 10,000).
 *
 * 1. Exactness: generated histories (test/fixtures/generated-cases.ts: every program, level, zone, random
 *    commands, timers fired 0-400 ms late) rebuilt from their trail alone; prints the differences (goal 0).
 * 2. Throughput: every case replayed under its recorded policy and under a candidate (Basic coverage
 *    Mon-Fri 09:00-18:00, Severity 2 tightened on 24/7 programs, four contact attempts) and added to the
 *    report, on one core; cases per CPU second and per wall second, and the memory of the whole run (the
 *    recorded trails held in memory, as one page-less run would).
 * 3. The same back-test spread over worker threads (backtest/parallel.ts, one per core unless THREADS is
 *    given): wall seconds with and without starting the threads, and whether its report is identical to the
 *    single-thread report (it must be).
 *
 *   node --expose-gc --import tsx bench/backtest.ts [cases] [exactnessCases] [threads]
 */
import { applyPatch, POLICY_V1 } from '../policy';
import { backtestCase } from '../backtest/engine/backtest';
import { exactnessDiff } from '../backtest/engine/exactness';
import { addPair, emptyAccumulator, finishReport } from '../backtest/engine/report';
import { backtestThreads, createBacktestPool } from '../backtest/parallel';
import { availableParallelism, loadavg } from 'node:os';
import type { RecordedCase } from '../backtest/engine/types';
import { recordGenerated, roleOf, sampleGenerated } from '../test/fixtures/generated-cases';

const N = Number(process.argv[2] ?? 100_000);
const EXACT = Number(process.argv[3] ?? 10_000);
const THREADS = process.argv[4] ? Number(process.argv[4]) : backtestThreads();
const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${availableParallelism()} cores`;
const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function exactness(): void {
  const t0 = performance.now();
  let diffs = 0;
  let events = 0;
  let casesWithDiffs = 0;
  for (const g of sampleGenerated(EXACT, 2026)) {
    const recorded = recordGenerated(g);
    events += recorded.events.length;
    const d = exactnessDiff(recorded, g.until, roleOf);
    diffs += d.length;
    if (d.length > 0) casesWithDiffs++;
  }
  console.log(
    `exactness: ${EXACT} generated histories, ${events} recorded events: ${diffs} differences in ${casesWithDiffs} cases (${((performance.now() - t0) / 1000).toFixed(1)} s incl. generation)`,
  );
}

async function throughput(): Promise<void> {
  const t0 = performance.now();
  const generated = sampleGenerated(N, 11);
  const cases: Array<{ recorded: RecordedCase; until: number }> = generated.map((g) => ({ recorded: recordGenerated(g), until: g.until }));
  const events = cases.reduce((n, c) => n + c.recorded.events.length, 0);
  console.log(`generated and recorded ${N} cases (${events} events) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;

  const candidate = {
    key: 'candidate',
    document: applyPatch(POLICY_V1.document, {
      programs: {
        basic: { coverageWindows: ([1, 2, 3, 4, 5] as const).map((day) => ({ day, open: '09:00', close: '18:00' })) },
        production: { targets: { '2': { kind: 'wall', ms: 2 * 3_600_000 } } },
        premier: { targets: { '2': { kind: 'wall', ms: 20 * 60_000 } } },
      },
      contactAttempts: { count: 4 },
    }),
  };
  const acc = emptyAccumulator();
  const c0 = cpu();
  const w0 = performance.now();
  for (const c of cases)
    addPair(
      acc,
      backtestCase(c.recorded, candidate, c.until, () => undefined, roleOf),
    );
  const report = finishReport(acc);
  const cpuS = cpu() - c0;
  const wallS = (performance.now() - w0) / 1000;
  const mem = process.memoryUsage();
  console.log(
    `back-test: ${N} cases in ${wallS.toFixed(2)} s wall, ${cpuS.toFixed(2)} s CPU: ${Math.round(N / cpuS)} cases per CPU second, ${Math.round(N / wallS)} per wall second`,
  );
  console.log(
    `memory: RSS ${mb(mem.rss)}, heap ${mb(mem.heapUsed)} (recorded trails ${mb(heapBefore)} before the run); report: ${report.flipsTotal} flips, contact closures ${report.before.contactClosures} -> ${report.after.contactClosures}; ${load()}`,
  );

  // The same over worker threads: the pairs come back in order and go into a report the same way.
  const s0 = performance.now();
  const pool = createBacktestPool({ candidate, documents: new Map() }, THREADS);
  // Start the threads (tsx and the engine loaded in each) before the clock of the run itself starts.
  await pool.run(
    cases.slice(0, THREADS).map((c) => c.recorded),
    { until: cases.slice(0, THREADS).map((c) => c.until) },
  );
  const started = (performance.now() - s0) / 1000;
  const p0 = performance.now();
  const pc0 = cpu();
  const pairs = await pool.run(
    cases.map((c) => c.recorded),
    { until: cases.map((c) => c.until), roles: rolesOf(cases.map((c) => c.recorded)) },
  );
  const parAcc = emptyAccumulator();
  for (const p of pairs) addPair(parAcc, p);
  const parallelReport = finishReport(parAcc);
  const parS = (performance.now() - p0) / 1000;
  const allCpu = cpu() - pc0;
  await pool.close();
  const same = JSON.stringify(parallelReport) === JSON.stringify(report);
  console.log(
    `back-test on ${pool.threads} worker threads: ${N} cases in ${parS.toFixed(2)} s wall (${Math.round(N / parS)} per wall second; ` +
      `${(parS + started).toFixed(2)} s with starting the threads, ${started.toFixed(2)} s), ${allCpu.toFixed(2)} s CPU in all threads; ` +
      `report identical to the single-thread one: ${same}; ${load()}`,
  );
  if (!same) process.exitCode = 1;
}

/** The roles the engine would ask roleOf for (it asks for each event's actor), as the read model gives them. */
function rolesOf(recorded: RecordedCase[]) {
  const roles: Record<string, NonNullable<ReturnType<typeof roleOf>>> = {};
  for (const c of recorded)
    for (const e of c.events) {
      if (e.actorId in roles) continue;
      const role = roleOf(e.actorId);
      if (role) roles[e.actorId] = role;
    }
  return roles;
}

exactness();
void throughput();
