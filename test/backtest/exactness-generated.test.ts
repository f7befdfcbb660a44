/**
 * Exactness on generated histories: every program, level, zone, holidays, settings and random commands, each
 * timer fired a random 0-400 ms late. Rebuilt from the trail alone (commands from the audit events, timer
 * delays from the recorded instants), the replay reproduces every event to the millisecond. The benchmark
 * (bench/backtest.ts) runs the same check on 10,000 histories; here a few hundred keep the suite fast.
 */
import fc from 'fast-check';
import { applyPatch, pinnedPolicy, POLICY_V1 } from '../../policy';
import { exactnessDiff } from '../../backtest/engine/exactness';
import { backtestCase } from '../../backtest/engine/backtest';
import { generatedCaseArb, recordGenerated, roleOf } from '../fixtures/generated-cases';

test('generated histories replay with 0 differences under the recorded policy', () => {
  let events = 0;
  fc.assert(
    fc.property(generatedCaseArb, (g) => {
      const recorded = recordGenerated(g);
      events += recorded.events.length;
      expect(exactnessDiff(recorded, g.until, roleOf)).toEqual([]);
    }),
    { numRuns: 400, seed: 20261129 },
  );
  expect(events).toBeGreaterThan(4000);
});

test('a back-test with the recorded policy as the candidate changes no outcome', () => {
  fc.assert(
    fc.property(generatedCaseArb, (g) => {
      fc.pre(g.input.settings === undefined); // version 1's settings: the candidate is exactly what the case had
      const recorded = recordGenerated(g);
      const same = backtestCase(recorded, { key: 'same', document: POLICY_V1.document }, g.until, () => undefined, roleOf);
      expect(same.after).toEqual(same.before);
    }),
    { numRuns: 200, seed: 7 },
  );
});

test('the exactness check has teeth: a trail replayed under other targets differs', () => {
  const tighter = applyPatch(POLICY_V1.document, {
    programs: Object.fromEntries(
      ['premier', 'production', 'basic', 'evaluation', 'vcsp_production', 'plan_premium', 'plan_basic'].map((id) => [
        id,
        {
          targets: {
            '1': { kind: 'wall', ms: 60_000 },
            '2': { kind: 'wall', ms: 60_000 },
            '3': { kind: 'wall', ms: 60_000 },
            '4': { kind: 'wall', ms: 60_000 },
          },
        },
      ]),
    ),
  });
  let differing = 0;
  for (const g of fc.sample(generatedCaseArb, { numRuns: 50, seed: 3 })) {
    const recorded = recordGenerated(g);
    const input = { ...recorded.input, policy: pinnedPolicy(tighter, recorded.input.entitlement) };
    if (exactnessDiff({ ...recorded, input }, g.until, roleOf).length > 0) differing++;
  }
  expect(differing).toBeGreaterThan(25);
});
