/** Policy facts beyond the target matrices: channels, entitlements, rules, regions, calendars, explanations. */
import type { EntitlementId, Level } from '../../policy/types';
import * as policy from '../../policy';
import {
  ENTITLEMENTS,
  POLICY_VERSION,
  REGION_LANGUAGES,
  businessCalendar,
  computeDeadline,
  coverageCalendar,
  describeWindows,
  isAroundTheClock,
  levelLabel,
  nextSunHandoff,
  phoneEligibility,
  rcaRequired,
  sunRegionAt,
} from '../../policy';
import { L } from './local';

const ALL = Object.keys(ENTITLEMENTS) as EntitlementId[];

describe('entitlements', () => {
  it('pins a policy version', () => {
    expect(POLICY_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('channels, updates, upgrades and SAM as published', () => {
    const facts = Object.fromEntries(
      ALL.map((id) => {
        const e = ENTITLEMENTS[id];
        return [id, [e.scheme, e.phone, e.web, e.email, e.sam, e.updates, e.upgrades, e.upgradeDays, e.bestEffort]];
      }),
    );
    expect(facts).toEqual({
      premier: ['severity', true, true, false, true, true, true, null, false],
      production: ['severity', true, true, false, false, true, true, null, false],
      basic: ['severity', true, true, false, false, true, true, null, false],
      evaluation: ['severity', true, true, false, false, false, false, null, false],
      free: ['severity', false, true, true, false, false, false, null, true],
      vcsp_production: ['severity', true, true, false, false, true, true, null, false],
      plan_premium: ['priority', true, true, false, false, true, true, null, false],
      plan_basic: ['priority', true, true, false, false, true, true, null, false],
      plan_evaluation: ['priority', true, true, false, false, false, true, 30, true],
    });
    for (const id of ALL) expect(ENTITLEMENTS[id].id).toBe(id);
  });

  it('around the clock only for Severity 1 on 24/7 programs and P1 on Premium; RCA for Premium P1', () => {
    const atc = ALL.flatMap((id) => ([1, 2, 3, 4] as Level[]).filter((l) => isAroundTheClock(id, l)).map((l) => `${id}/${l}`));
    expect(atc).toEqual(['premier/1', 'production/1', 'vcsp_production/1', 'plan_premium/1']);
    const rca = ALL.flatMap((id) => ([1, 2, 3, 4] as Level[]).filter((l) => rcaRequired(id, l)).map((l) => `${id}/${l}`));
    expect(rca).toEqual(['plan_premium/1']);
    expect(ENTITLEMENTS.plan_premium.priorityHandlingLevels).toEqual([1, 2]);
  });

  it('labels levels by scheme', () => {
    expect(levelLabel('basic', 2)).toBe('Severity 2');
    expect(levelLabel('plan_basic', 2)).toBe('P2');
  });
});

describe('phone eligibility', () => {
  it('needs an existing case, a technical or licensing case, and never Free/NFR/Community', () => {
    expect(phoneEligibility({ entitlement: 'basic', caseType: 'technical', caseExists: true }).eligible).toBe(true);
    expect(phoneEligibility({ entitlement: 'evaluation', caseType: 'licensing', caseExists: true }).eligible).toBe(true);
    expect(phoneEligibility({ entitlement: 'basic', caseType: 'technical', caseExists: false })).toEqual({
      eligible: false,
      reason: expect.stringMatching(/existing case number/),
    });
    expect(phoneEligibility({ entitlement: 'premier', caseType: 'general_inquiry', caseExists: true })).toEqual({
      eligible: false,
      reason: expect.stringMatching(/General inquiries/),
    });
    expect(phoneEligibility({ entitlement: 'free', caseType: 'technical', caseExists: true })).toEqual({
      eligible: false,
      reason: expect.stringMatching(/no phone support/),
    });
  });
});

describe('regions', () => {
  it('languages per region in ISO 639-1', () => {
    expect(REGION_LANGUAGES).toEqual({
      US: ['en', 'es'],
      CA: ['en', 'fr'],
      EMEA: ['en', 'de', 'fr', 'ru', 'es', 'it'],
      APAC: ['en', 'ja', 'zh'],
      LATAM: ['en', 'es', 'pt'],
    });
  });

  it('follow-the-sun hand-offs at 00:00, 08:00 and 16:00 UTC', () => {
    const day = Date.UTC(2026, 10, 30);
    expect(sunRegionAt(day)).toBe('APAC');
    expect(sunRegionAt(day + 8 * 3_600_000 - 1)).toBe('APAC');
    expect(sunRegionAt(day + 8 * 3_600_000)).toBe('EMEA');
    expect(sunRegionAt(day + 16 * 3_600_000)).toBe('AMERICAS');
    expect(sunRegionAt(day - 1)).toBe('AMERICAS');
    expect(sunRegionAt(Date.UTC(1969, 11, 31, 10))).toBe('EMEA'); // negative epoch
    expect(nextSunHandoff(day + 3_600_000)).toEqual({ at: day + 8 * 3_600_000, region: 'EMEA' });
    expect(nextSunHandoff(day + 16 * 3_600_000)).toEqual({ at: day + 24 * 3_600_000, region: 'APAC' });
  });
});

describe('calendars', () => {
  const org = { zone: 'Europe/Berlin', closedDates: ['2026-12-25'] };

  it('coverage per program: 24/7 keeps zone and closed dates; business programs get their published hours', () => {
    expect(coverageCalendar('production', org)).toEqual({
      zone: 'Europe/Berlin',
      alwaysOpen: true,
      windows: [],
      closedDates: ['2026-12-25'],
      label: '24/7',
    });
    expect(coverageCalendar('basic', org).label).toBe('Mon-Fri 08:00-20:00');
    expect(coverageCalendar('evaluation', org).label).toBe('Mon-Fri 08:00-17:00');
    expect(coverageCalendar('plan_basic', org).label).toBe('Mon-Fri 08:00-17:00');
    // Custom business hours never change a program's coverage.
    expect(coverageCalendar('basic', { ...org, businessHours: [{ day: 1, open: '10:00', close: '12:00' }] }).label).toBe(
      'Mon-Fri 08:00-20:00',
    );
    expect(() => coverageCalendar('basic', { zone: 'Nowhere/Land', closedDates: [] })).toThrow(/Unknown IANA time zone/);
  });

  it("business calendar: default Mon-Fri 08:00-17:00 or the organisation's hours", () => {
    expect(businessCalendar(org).label).toBe('Mon-Fri 08:00-17:00');
    const custom = businessCalendar({
      ...org,
      businessHours: [
        { day: 1, open: '08:00', close: '12:00' },
        { day: 1, open: '13:00', close: '17:00' },
        { day: 2, open: '08:00', close: '12:00' },
        { day: 2, open: '13:00', close: '17:00' },
        { day: 5, open: '08:00', close: '14:00' },
        { day: 6, open: '20:00', close: '24:00' },
      ],
    });
    expect(custom.label).toBe('Mon-Tue 08:00-12:00 13:00-17:00, Fri 08:00-14:00, Sat 20:00-24:00');
    expect(describeWindows([])).toBe('never open');
  });
});

it('computeDeadline rejects unknown entitlements and levels with a clear error', () => {
  const coverage = coverageCalendar('basic', { zone: 'UTC', closedDates: [] });
  expect(() => computeDeadline({ openedAt: 0, entitlement: 'gold' as EntitlementId, level: 1, caseType: 'technical', coverage })).toThrow(
    /Unknown entitlement 'gold'/,
  );
  expect(() => computeDeadline({ openedAt: 0, entitlement: 'basic', level: 5 as Level, caseType: 'technical', coverage })).toThrow(
    /Unknown level 5/,
  );
});

describe('explanations', () => {
  it('reads like the published example, with the per-day breakdown', () => {
    const d = computeDeadline({
      openedAt: L('2026-11-27T18:30', 'Europe/Berlin'),
      entitlement: 'basic',
      level: 2,
      caseType: 'technical',
      coverage: coverageCalendar('basic', { zone: 'Europe/Berlin', closedDates: [] }),
    });
    expect(d.explanation).toBe(
      '8 business hours, Mon-Fri 08:00-20:00 Europe/Berlin, opened Fri 27 Nov 18:30: 1 h 30 min on Fri 27 Nov, 6 h 30 min on Mon 30 Nov, due Mon 30 Nov 14:30 CET',
    );
  });

  it('names holidays skipped, openings outside coverage, DST on wall clocks, and shortens long breakdowns', () => {
    const zone = 'America/New_York';
    const opened = L('2026-11-25T21:00', zone);
    const basic = computeDeadline({
      openedAt: opened,
      entitlement: 'basic',
      level: 4,
      caseType: 'technical',
      coverage: coverageCalendar('basic', { zone, closedDates: ['2026-11-26'] }),
    });
    expect(basic.explanation).toBe(
      '24 business hours, Mon-Fri 08:00-20:00 America/New_York, opened Wed 25 Nov 21:00 (outside coverage, clock starts Fri 27 Nov 08:00), closed on Thu 26 Nov: 12 h on Fri 27 Nov, 12 h on Mon 30 Nov, due Mon 30 Nov 20:00 EST',
    );
    const wall = computeDeadline({
      openedAt: L('2026-10-31T22:00', zone),
      entitlement: 'production',
      level: 4,
      caseType: 'technical',
      coverage: coverageCalendar('production', { zone, closedDates: [] }),
    });
    expect(wall.explanation).toBe(
      '8 hours, around the clock (24/7, real elapsed time) America/New_York, opened Sat 31 Oct 22:00 EDT: due Sun 1 Nov 05:00 EST (a clock change in between adds or removes no time)',
    );
    const long = computeDeadline({
      openedAt: opened,
      entitlement: 'plan_basic',
      level: 4,
      caseType: 'technical',
      coverage: coverageCalendar('plan_basic', { zone: 'Asia/Kathmandu', closedDates: [] }),
    });
    expect(long.explanation).toMatch(
      /^2 business days \(18 h of business time\), Mon-Fri 08:00-17:00 Asia\/Kathmandu, .*due .* GMT\+5:45$/,
    );
    const shortDays = { zone, windows: ([1, 2, 3, 4, 5] as const).map((day) => ({ day, open: '08:00', close: '10:00' })), closedDates: [] };
    const many = computeDeadline({
      openedAt: L('2026-11-30T08:00', zone),
      entitlement: 'basic',
      level: 4,
      caseType: 'technical',
      coverage: shortDays,
    });
    expect(many.explanation).toBe(
      '24 business hours, Mon-Fri 08:00-10:00 America/New_York, opened Mon 30 Nov 08:00: 2 h on Mon 30 Nov, 2 h on Tue 1 Dec, 2 h on Wed 2 Dec, ... 8 more business days ..., 2 h on Tue 15 Dec, due Tue 15 Dec 10:00 EST',
    );
  });
});

it('the index re-exports the engine but not the holiday resolver', () => {
  expect(Object.keys(policy)).toEqual(
    expect.arrayContaining(['computeDeadline', 'addBusinessTime', 'nextBusinessDays', 'startClock', 'fireDue', 'ENTITLEMENTS']),
  );
  expect(Object.keys(policy)).not.toContain('resolveClosedDates');
});
