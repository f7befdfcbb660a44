/**
 * The published support policy as versioned data (shared/seed/support-policy.txt, DESIGN section 2).
 * A case pins POLICY_VERSION when it opens; change the version whenever any number here changes.
 */
import type { CaseType, EntitlementId, EntitlementPolicy, Level, MarketRegion, SunRegion, Target, WeeklyWindow } from './types';
import { HOUR, MINUTE, DAY } from './time';

export const POLICY_VERSION = '2026-11-01';

const wall = (ms: number): Target => ({ kind: 'wall', ms });
const business = (hours: number): Target => ({ kind: 'business', ms: hours * HOUR });
const businessDays = (days: number): Target => ({ kind: 'business_days', days });
const NA: Target = { kind: 'not_available' };
const BEST_EFFORT: Target = { kind: 'best_effort' };

export const monFri = (open: string, close: string): WeeklyWindow[] => ([1, 2, 3, 4, 5] as const).map((day) => ({ day, open, close }));

/** A Kasten "business day" is one full day of the Mon-Fri 08:00-17:00 calendar. */
export const BUSINESS_DAY_MS = 9 * HOUR;

const program = (
  p: Omit<EntitlementPolicy, 'scheme' | 'upgradeDays' | 'priorityHandlingLevels'> & Partial<EntitlementPolicy>,
): EntitlementPolicy => ({
  scheme: 'severity',
  upgradeDays: null,
  priorityHandlingLevels: [],
  ...p,
});

const PRODUCTION = program({
  id: 'production',
  name: 'Production Support',
  coverage: '24/7/365',
  coverageWindows: null,
  aroundTheClockCoverage: true,
  phone: true,
  web: true,
  email: false,
  sam: false,
  updates: true,
  upgrades: true,
  bestEffort: false,
  targets: { 1: wall(1 * HOUR), 2: wall(3 * HOUR), 3: wall(6 * HOUR), 4: wall(8 * HOUR) },
  aroundTheClockLevels: [1],
  rcaLevels: [],
});

export const ENTITLEMENTS: Record<EntitlementId, EntitlementPolicy> = {
  premier: program({
    id: 'premier',
    name: 'Premier Support',
    coverage: '24/7/365; Support Account Manager during your local business hours',
    coverageWindows: null,
    aroundTheClockCoverage: true,
    phone: true,
    web: true,
    email: false,
    sam: true,
    updates: true,
    upgrades: true,
    bestEffort: false,
    targets: { 1: wall(30 * MINUTE), 2: wall(30 * MINUTE), 3: wall(30 * MINUTE), 4: wall(30 * MINUTE) },
    aroundTheClockLevels: [1],
    rcaLevels: [],
  }),
  production: PRODUCTION,
  basic: program({
    id: 'basic',
    name: 'Basic Support',
    coverage: 'Mon-Fri 08:00-20:00 customer local time',
    coverageWindows: monFri('08:00', '20:00'),
    aroundTheClockCoverage: false,
    phone: true,
    web: true,
    email: false,
    sam: false,
    updates: true,
    upgrades: true,
    bestEffort: false,
    targets: { 1: business(2), 2: business(8), 3: business(12), 4: business(24) },
    aroundTheClockLevels: [],
    rcaLevels: [],
  }),
  evaluation: program({
    id: 'evaluation',
    name: 'Evaluation Support',
    coverage: 'Mon-Fri 08:00-17:00 customer local time',
    coverageWindows: monFri('08:00', '17:00'),
    aroundTheClockCoverage: false,
    phone: true,
    web: true,
    email: false,
    sam: false,
    updates: false,
    upgrades: false,
    bestEffort: false,
    targets: { 1: NA, 2: business(8), 3: business(12), 4: business(24) },
    aroundTheClockLevels: [],
    rcaLevels: [],
  }),
  free: program({
    id: 'free',
    name: 'Free / NFR / Community',
    coverage: 'Best effort, web and email only',
    coverageWindows: null,
    aroundTheClockCoverage: false,
    phone: false,
    web: true,
    email: true,
    sam: false,
    updates: false,
    upgrades: false,
    bestEffort: true,
    targets: { 1: NA, 2: BEST_EFFORT, 3: BEST_EFFORT, 4: BEST_EFFORT },
    aroundTheClockLevels: [],
    rcaLevels: [],
  }),
  // Service-provider partners: the same entitlement and targets as Production.
  vcsp_production: {
    ...PRODUCTION,
    id: 'vcsp_production',
    name: 'VCSP Production Support',
    coverage: '24/7/365 (service-provider partners)',
  },
  plan_premium: program({
    id: 'plan_premium',
    name: 'Premium plan',
    scheme: 'priority',
    coverage: '24x7x365',
    coverageWindows: null,
    aroundTheClockCoverage: true,
    phone: true,
    web: true,
    email: false,
    sam: false,
    updates: true,
    upgrades: true,
    bestEffort: false,
    targets: { 1: wall(1 * HOUR), 2: wall(2 * HOUR), 3: wall(6 * HOUR), 4: businessDays(1) },
    aroundTheClockLevels: [1],
    rcaLevels: [1],
    priorityHandlingLevels: [1, 2],
  }),
  plan_basic: program({
    id: 'plan_basic',
    name: 'Basic plan',
    scheme: 'priority',
    coverage: 'Mon-Fri 08:00-17:00 customer local time',
    coverageWindows: monFri('08:00', '17:00'),
    aroundTheClockCoverage: false,
    phone: true,
    web: true,
    email: false,
    sam: false,
    updates: true,
    upgrades: true,
    bestEffort: false,
    targets: { 1: business(2), 2: business(4), 3: businessDays(1), 4: businessDays(2) },
    aroundTheClockLevels: [],
    rcaLevels: [],
  }),
  // "Evaluation plans get upgrades for 30 days and no response target": read as best effort.
  plan_evaluation: program({
    id: 'plan_evaluation',
    name: 'Evaluation plan',
    scheme: 'priority',
    coverage: 'No response target (best effort)',
    coverageWindows: null,
    aroundTheClockCoverage: false,
    phone: true,
    web: true,
    email: false,
    sam: false,
    updates: false,
    upgrades: true,
    upgradeDays: 30,
    bestEffort: true,
    targets: { 1: BEST_EFFORT, 2: BEST_EFFORT, 3: BEST_EFFORT, 4: BEST_EFFORT },
    aroundTheClockLevels: [],
    rcaLevels: [],
  }),
};

export const LEVELS: readonly Level[] = [1, 2, 3, 4];

/** Support languages per market region, ISO 639-1 (zh = Mandarin Chinese). */
export const REGION_LANGUAGES: Record<MarketRegion, string[]> = {
  US: ['en', 'es'],
  CA: ['en', 'fr'],
  EMEA: ['en', 'de', 'fr', 'ru', 'es', 'it'],
  APAC: ['en', 'ja', 'zh'],
  LATAM: ['en', 'es', 'pt'],
};

/** Severity 1 (P1) worked around the clock; the workflow adds "while the customer has a resource available". */
export function isAroundTheClock(entitlement: EntitlementId, level: Level): boolean {
  return ENTITLEMENTS[entitlement].aroundTheClockLevels.includes(level);
}

/** Root-cause analysis is owed for Premium plan critical incidents (P1). */
export function rcaRequired(entitlement: EntitlementId, level: Level): boolean {
  return ENTITLEMENTS[entitlement].rcaLevels.includes(level);
}

export function levelLabel(entitlement: EntitlementId, level: Level): string {
  return ENTITLEMENTS[entitlement].scheme === 'priority' ? `P${level}` : `Severity ${level}`;
}

export function phoneEligibility(input: { entitlement: EntitlementId; caseType: CaseType; caseExists: boolean }): {
  eligible: boolean;
  reason: string;
} {
  const policy = ENTITLEMENTS[input.entitlement];
  if (!policy.phone) return { eligible: false, reason: `${policy.name} has no phone support (web and email only)` };
  if (input.caseType === 'general_inquiry') return { eligible: false, reason: 'General inquiries have no phone support' };
  if (!input.caseExists)
    return { eligible: false, reason: 'Phone support needs an existing case number: open the case on the portal first' };
  return { eligible: true, reason: `${policy.name}: phone support for ${input.caseType} cases with a case number` };
}

/**
 * Follow-the-sun ownership by UTC hour, three 8-hour shifts:
 * APAC 00:00-08:00 UTC (Sydney/Tokyo daytime), EMEA 08:00-16:00 UTC (London/Berlin daytime),
 * AMERICAS 16:00-24:00 UTC (New York/San Francisco daytime).
 */
export const SUN_HANDOFFS_UTC: ReadonlyArray<{ region: SunRegion; fromHour: number; toHour: number }> = [
  { region: 'APAC', fromHour: 0, toHour: 8 },
  { region: 'EMEA', fromHour: 8, toHour: 16 },
  { region: 'AMERICAS', fromHour: 16, toHour: 24 },
];

export function sunRegionAt(atMs: number): SunRegion {
  const hour = Math.floor((((atMs % DAY) + DAY) % DAY) / HOUR);
  return SUN_HANDOFFS_UTC.find((s) => hour >= s.fromHour && hour < s.toHour)!.region;
}

/** The next follow-the-sun hand-off strictly after `atMs` (for re-routing around-the-clock work). */
export function nextSunHandoff(atMs: number): { at: number; region: SunRegion } {
  const dayStart = Math.floor(atMs / DAY) * DAY;
  for (const dayOffset of [0, DAY]) {
    for (const s of SUN_HANDOFFS_UTC) {
      const at = dayStart + dayOffset + s.fromHour * HOUR;
      if (at > atMs) return { at, region: s.region };
    }
  }
  throw new Error('unreachable: a hand-off happens every 8 hours');
}

export function targetLabel(target: Target): string {
  switch (target.kind) {
    case 'wall':
      return durationLabel(target.ms, '');
    case 'business':
      return durationLabel(target.ms, 'business ');
    case 'business_days':
      return `${target.days} business day${target.days === 1 ? '' : 's'}`;
    case 'not_available':
      return 'not available';
    case 'best_effort':
      return 'best effort';
  }
}

function durationLabel(ms: number, qualifier: string): string {
  if (ms % HOUR === 0) {
    const h = ms / HOUR;
    return `${h} ${qualifier}hour${h === 1 ? '' : 's'}`;
  }
  const min = Math.round(ms / MINUTE);
  return `${min} ${qualifier}minute${min === 1 ? '' : 's'}`;
}
