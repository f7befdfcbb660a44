/** Policy versions as data: version 1 is exactly the shipped constants; patches, diffs and the version in force. */
import {
  applyPatch,
  businessCalendar,
  businessCalendarUnder,
  coverageCalendar,
  coverageUnder,
  diffPolicy,
  ENTITLEMENTS,
  pinnedPolicy,
  POLICY_V1,
  POLICY_VERSION,
  policyProblems,
  settingsUnder,
  versionInForce,
  type EntitlementId,
  type PolicyVersion,
} from '../../policy';
import { DEFAULT_SETTINGS } from '../../policy/settings';
import { PolicyDocumentSchema } from '../../api/schemas/policy-versions';

const org = { zone: 'Europe/Berlin', closedDates: ['2026-12-25', '2026-12-26'] };

test('version 1 yields the calendars, targets and settings cases pinned before versions were data', () => {
  expect(POLICY_V1.key).toBe(POLICY_VERSION);
  for (const id of Object.keys(ENTITLEMENTS) as EntitlementId[]) {
    expect(coverageUnder(POLICY_V1.document, id, org)).toEqual(coverageCalendar(id, org));
    const pinned = pinnedPolicy(POLICY_V1.document, id);
    expect([pinned.targets['1'], pinned.targets['2'], pinned.targets['3'], pinned.targets['4']]).toEqual(
      [1, 2, 3, 4].map((l) => ENTITLEMENTS[id].targets[l as 1]),
    );
    expect(pinned.aroundTheClockLevels).toEqual(ENTITLEMENTS[id].aroundTheClockLevels);
  }
  expect(businessCalendarUnder(POLICY_V1.document, org)).toEqual(businessCalendar(org));
  const custom = [{ day: 1 as const, open: '09:00', close: '12:00' }];
  expect(businessCalendarUnder(POLICY_V1.document, org, custom)).toEqual(businessCalendar({ ...org, businessHours: custom }));
  const s = settingsUnder(POLICY_V1.document);
  expect(s).toEqual({
    warningThresholds: DEFAULT_SETTINGS.warningThresholds,
    contactAttempts: DEFAULT_SETTINGS.contactAttempts,
    contactAttemptTime: DEFAULT_SETTINGS.contactAttemptTime,
  });
  expect(PolicyDocumentSchema.safeParse(POLICY_V1.document).success).toBe(true);
  expect(policyProblems(POLICY_V1.document)).toEqual([]);
});

test('a patch changes what it names and nothing else; the diff lists exactly that', () => {
  const patched = applyPatch(POLICY_V1.document, {
    programs: {
      basic: {
        coverageWindows: [1, 2, 3, 4, 5].map((day) => ({ day: day as 1, open: '09:00', close: '18:00' })),
        targets: { '2': { kind: 'business', ms: 4 * 3_600_000 } },
      },
    },
    contactAttempts: { count: 4 },
  });
  expect(patched.programs.basic.targets['1']).toEqual(POLICY_V1.document.programs.basic.targets['1']);
  expect(patched.contactAttempts).toEqual({ count: 4, at: '10:00' });
  expect(POLICY_V1.document.programs.basic.coverageWindows![0]!.open).toBe('08:00'); // input untouched
  expect(diffPolicy(POLICY_V1.document, patched).map((c) => c.path)).toEqual([
    'programs.basic.targets.2',
    'programs.basic.coverageWindows',
    'contactAttempts.count',
  ]);
  expect(diffPolicy(patched, patched)).toEqual([]);
  expect(coverageUnder(patched, 'basic', org).label).toBe('Mon-Fri 09:00-18:00');
});

test('the version in force is the latest effective one', () => {
  const v = (version: number, effectiveAt: number): PolicyVersion => ({ ...POLICY_V1, version, key: `v${version}`, effectiveAt });
  const versions = [POLICY_V1, v(2, 1000), v(3, 5000)];
  expect(versionInForce(versions, 999).version).toBe(1);
  expect(versionInForce(versions, 1000).version).toBe(2);
  expect(versionInForce(versions, 4999).version).toBe(2);
  expect(versionInForce(versions, 5000).version).toBe(3);
});

test('rules a schema cannot say are reported with their field', () => {
  const bad = applyPatch(POLICY_V1.document, {
    programs: { basic: { coverageWindows: [{ day: 1, open: '18:00', close: '09:00' }] } },
    defaultBusinessHours: [],
  });
  expect(policyProblems(bad).map((p) => p.field)).toEqual(['programs.basic.coverageWindows.0', 'defaultBusinessHours']);
  const never = applyPatch(POLICY_V1.document, { programs: { evaluation: { coverageWindows: [] } } });
  expect(policyProblems(never)).toEqual([
    { field: 'programs.evaluation.coverageWindows', reason: expect.stringMatching(/at least one window/) },
  ]);
});
