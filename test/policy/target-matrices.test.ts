/**
 * Every cell of both published target matrices (severity programs and Kasten priority plans), as data and
 * as computed deadlines for a case opened Wednesday 2 Dec 2026 10:00 in Berlin (no holidays that week).
 */
import type { EntitlementId, Level, Target } from '../../policy/types';
import { ENTITLEMENTS, targetLabel } from '../../policy/entitlements';
import { coverageCalendar } from '../../policy/calendars';
import { computeDeadline } from '../../policy/deadline';
import { L, show } from './local';

const ZONE = 'Europe/Berlin';
const OPENED = '2026-12-02T10:00';
const MIN = 60_000;
const H = 60 * MIN;

type Cell = [EntitlementId, Level, Target, string, string | 'not_available' | 'best_effort'];

const wall = (ms: number): Target => ({ kind: 'wall', ms });
const bh = (h: number): Target => ({ kind: 'business', ms: h * H });
const bd = (days: number): Target => ({ kind: 'business_days', days });
const NA: Target = { kind: 'not_available' };
const BE: Target = { kind: 'best_effort' };

// [entitlement, level, target, label, due (local, +01:00) or outcome]
const SEVERITY_MATRIX: Cell[] = [
  ['premier', 1, wall(30 * MIN), '30 minutes', '2026-12-02T10:30+01:00'],
  ['premier', 2, wall(30 * MIN), '30 minutes', '2026-12-02T10:30+01:00'],
  ['premier', 3, wall(30 * MIN), '30 minutes', '2026-12-02T10:30+01:00'],
  ['premier', 4, wall(30 * MIN), '30 minutes', '2026-12-02T10:30+01:00'],
  ['production', 1, wall(H), '1 hour', '2026-12-02T11:00+01:00'],
  ['production', 2, wall(3 * H), '3 hours', '2026-12-02T13:00+01:00'],
  ['production', 3, wall(6 * H), '6 hours', '2026-12-02T16:00+01:00'],
  ['production', 4, wall(8 * H), '8 hours', '2026-12-02T18:00+01:00'],
  ['vcsp_production', 1, wall(H), '1 hour', '2026-12-02T11:00+01:00'],
  ['vcsp_production', 2, wall(3 * H), '3 hours', '2026-12-02T13:00+01:00'],
  ['vcsp_production', 3, wall(6 * H), '6 hours', '2026-12-02T16:00+01:00'],
  ['vcsp_production', 4, wall(8 * H), '8 hours', '2026-12-02T18:00+01:00'],
  // Basic: Mon-Fri 08:00-20:00 (12 h a day).
  ['basic', 1, bh(2), '2 business hours', '2026-12-02T12:00+01:00'],
  ['basic', 2, bh(8), '8 business hours', '2026-12-02T18:00+01:00'],
  ['basic', 3, bh(12), '12 business hours', '2026-12-03T10:00+01:00'],
  ['basic', 4, bh(24), '24 business hours', '2026-12-04T10:00+01:00'],
  // Evaluation: Mon-Fri 08:00-17:00 (9 h a day).
  ['evaluation', 1, NA, 'not available', 'not_available'],
  ['evaluation', 2, bh(8), '8 business hours', '2026-12-03T09:00+01:00'],
  ['evaluation', 3, bh(12), '12 business hours', '2026-12-03T13:00+01:00'],
  ['evaluation', 4, bh(24), '24 business hours', '2026-12-04T16:00+01:00'],
  ['free', 1, NA, 'not available', 'not_available'],
  ['free', 2, BE, 'best effort', 'best_effort'],
  ['free', 3, BE, 'best effort', 'best_effort'],
  ['free', 4, BE, 'best effort', 'best_effort'],
];

const PRIORITY_MATRIX: Cell[] = [
  ['plan_premium', 1, wall(H), '1 hour', '2026-12-02T11:00+01:00'],
  ['plan_premium', 2, wall(2 * H), '2 hours', '2026-12-02T12:00+01:00'],
  ['plan_premium', 3, wall(6 * H), '6 hours', '2026-12-02T16:00+01:00'],
  // One business day = 9 business hours of Mon-Fri 08:00-17:00, also for Premium.
  ['plan_premium', 4, bd(1), '1 business day', '2026-12-03T10:00+01:00'],
  ['plan_basic', 1, bh(2), '2 business hours', '2026-12-02T12:00+01:00'],
  ['plan_basic', 2, bh(4), '4 business hours', '2026-12-02T14:00+01:00'],
  ['plan_basic', 3, bd(1), '1 business day', '2026-12-03T10:00+01:00'],
  ['plan_basic', 4, bd(2), '2 business days', '2026-12-04T10:00+01:00'],
  ['plan_evaluation', 1, BE, 'best effort', 'best_effort'],
  ['plan_evaluation', 2, BE, 'best effort', 'best_effort'],
  ['plan_evaluation', 3, BE, 'best effort', 'best_effort'],
  ['plan_evaluation', 4, BE, 'best effort', 'best_effort'],
];

describe.each([
  ['severity programs', SEVERITY_MATRIX],
  ['priority plans', PRIORITY_MATRIX],
])('%s', (_name, matrix) => {
  it.each(matrix)('%s level %d', (entitlement, level, target, label, outcome) => {
    expect(ENTITLEMENTS[entitlement].targets[level]).toEqual(target);
    expect(targetLabel(target)).toBe(label);
    const d = computeDeadline({
      openedAt: L(OPENED, ZONE),
      entitlement,
      level,
      caseType: 'technical',
      coverage: coverageCalendar(entitlement, { zone: ZONE, closedDates: [] }),
    });
    expect(d.targetLabel).toBe(label);
    if (d.kind === 'due') {
      expect(show(d.dueAt, ZONE)).toBe(outcome);
      expect(d.target).toEqual(target);
    } else {
      expect(d.kind).toBe(outcome);
    }
    // Licensing cases have the same targets as technical ones.
    const licensing = computeDeadline({
      openedAt: L(OPENED, ZONE),
      entitlement,
      level,
      caseType: 'licensing',
      coverage: coverageCalendar(entitlement, { zone: ZONE, closedDates: [] }),
    });
    expect(licensing).toEqual(d);
  });
});

it('the matrices above cover every entitlement and level', () => {
  const covered = [...SEVERITY_MATRIX, ...PRIORITY_MATRIX].map(([e, l]) => `${e}/${l}`).sort();
  const all = Object.keys(ENTITLEMENTS)
    .flatMap((e) => [1, 2, 3, 4].map((l) => `${e}/${l}`))
    .sort();
  expect(covered).toEqual(all);
});

it('general inquiries have no target on every entitlement', () => {
  for (const entitlement of Object.keys(ENTITLEMENTS) as EntitlementId[]) {
    for (const level of [1, 2, 3, 4] as Level[]) {
      const d = computeDeadline({
        openedAt: L(OPENED, ZONE),
        entitlement,
        level,
        caseType: 'general_inquiry',
        coverage: coverageCalendar(entitlement, { zone: ZONE, closedDates: [] }),
      });
      expect(d).toEqual({ kind: 'no_target', targetLabel: 'no target', explanation: expect.stringMatching(/no response target/) });
    }
  }
});
