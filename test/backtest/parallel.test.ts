/**
 * A back-test over worker threads (backtest/parallel.ts) makes the report a single thread makes, to the last
 * listed flip and move: the same generated histories (every program, level, zone, random commands) under a
 * candidate that changes coverage, targets and contact attempts, serially and on two threads in chunks of
 * 500 (so the pairs of several chunks come back and are added in order). No timing here: the speed is
 * bench/backtest.ts's.
 */
import { applyPatch, POLICY_V1 } from '../../policy';
import { backtestCase } from '../../backtest/engine/backtest';
import { addPair, emptyAccumulator, finishReport } from '../../backtest/engine/report';
import { createBacktestPool } from '../../backtest/parallel';
import type { Role } from '../../contract/case';
import { recordGenerated, roleOf, sampleGenerated } from '../fixtures/generated-cases';

const candidate = {
  key: 'candidate',
  document: applyPatch(POLICY_V1.document, {
    programs: {
      basic: { coverageWindows: ([1, 2, 3, 4, 5] as const).map((day) => ({ day, open: '09:00', close: '18:00' })) },
      premier: { targets: { '2': { kind: 'wall', ms: 20 * 60_000 } } },
    },
    contactAttempts: { count: 4 },
  }),
};

test('the report over two worker threads is the single-thread report', async () => {
  const cases = sampleGenerated(1200, 5).map((g) => ({ recorded: recordGenerated(g), until: g.until }));
  const serial = emptyAccumulator();
  for (const c of cases)
    addPair(
      serial,
      backtestCase(c.recorded, candidate, c.until, () => undefined, roleOf),
    );

  const roles: Record<string, Role> = {};
  for (const c of cases) for (const e of c.recorded.events) if (roleOf(e.actorId)) roles[e.actorId] = roleOf(e.actorId)!;
  const pool = createBacktestPool({ candidate, documents: new Map() }, 2);
  try {
    const pairs = await pool.run(
      cases.map((c) => c.recorded),
      { until: cases.map((c) => c.until), roles },
    );
    const parallel = emptyAccumulator();
    for (const p of pairs) addPair(parallel, p);
    expect(pool.threads).toBe(2);
    expect(finishReport(parallel)).toEqual(finishReport(serial));
    expect(serial.flipsTotal).toBeGreaterThan(0);
  } finally {
    await pool.close();
  }
});

test('one thread runs in the calling thread, with the same result', async () => {
  const cases = sampleGenerated(50, 9).map((g) => ({ recorded: recordGenerated(g), until: g.until }));
  const pool = createBacktestPool({ candidate, documents: new Map() }, 1);
  const pairs = await pool.run(
    cases.map((c) => c.recorded),
    { until: cases.map((c) => c.until) },
  );
  expect(pool.threads).toBe(1);
  expect(pairs).toEqual(cases.map((c) => backtestCase(c.recorded, candidate, c.until, () => undefined)));
  await pool.close();
});
