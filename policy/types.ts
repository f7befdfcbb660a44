/**
 * Shared vocabulary of the support policy. Pure types: imported by workflows, activities, api and tests.
 * Instants are epoch milliseconds (UTC) inside the policy engine; ISO 8601 strings at the edges (API, DB).
 */

/** Support programs (severity 1-4) and plans (priority P1-P4) an organisation can hold. */
export const ENTITLEMENT_IDS = [
  'premier',
  'production',
  'basic',
  'evaluation',
  'free', // Free / NFR / Community
  'vcsp_production',
  'plan_premium', // Kasten-style plans, priorities P1-P4
  'plan_basic',
  'plan_evaluation',
] as const;
export type EntitlementId = (typeof ENTITLEMENT_IDS)[number];

/** 1 = most severe. For plans, 1..4 means P1..P4. */
export type Level = 1 | 2 | 3 | 4;

export const CASE_TYPES = ['technical', 'licensing', 'general_inquiry'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const MARKET_REGIONS = ['US', 'CA', 'EMEA', 'APAC', 'LATAM'] as const;
export type MarketRegion = (typeof MARKET_REGIONS)[number];

/** Follow-the-sun ownership regions for around-the-clock work. */
export const SUN_REGIONS = ['APAC', 'EMEA', 'AMERICAS'] as const;
export type SunRegion = (typeof SUN_REGIONS)[number];

/** A weekly coverage window in local wall time, e.g. { day: 1, open: '08:00', close: '20:00' } (1 = Monday .. 7 = Sunday). */
export interface WeeklyWindow {
  day: 1 | 2 | 3 | 4 | 5 | 6 | 7;
  open: string; // HH:mm
  close: string; // HH:mm, '24:00' allowed
}

/**
 * A business calendar as plain data, so it can travel in workflow inputs and be replayed unchanged.
 * `alwaysOpen` calendars count wall-clock time (24/7 programs). Holidays are resolved to local dates
 * (YYYY-MM-DD) when the case opens, so a holiday-library upgrade never changes a running case's clocks.
 */
export interface CalendarSpec {
  zone: string; // IANA zone
  alwaysOpen?: boolean;
  windows: WeeklyWindow[];
  closedDates: string[]; // local YYYY-MM-DD: public holidays + organisation's extra closed days
  label?: string; // human form, e.g. 'Mon-Fri 08:00-20:00'
}

/**
 * A response target as policy data. `business` counts time inside the coverage calendar; `business_days`
 * (Kasten plans) counts whole days of the Mon-Fri 08:00-17:00 calendar, 9 business hours each.
 */
export type Target =
  | { kind: 'wall'; ms: number }
  | { kind: 'business'; ms: number }
  | { kind: 'business_days'; days: number }
  | { kind: 'not_available' }
  | { kind: 'best_effort' };

/** One support program or plan, as published. */
export interface EntitlementPolicy {
  id: EntitlementId;
  name: string;
  scheme: 'severity' | 'priority';
  /** Human description of when the response clock runs. */
  coverage: string;
  /** Weekly coverage in the customer's local time; null for 24/7 (wall clock) or best effort. */
  coverageWindows: WeeklyWindow[] | null;
  aroundTheClockCoverage: boolean;
  phone: boolean;
  web: boolean;
  email: boolean;
  /** Support Account Manager during the customer's local business hours (Premier). */
  sam: boolean;
  updates: boolean;
  upgrades: boolean;
  /** Upgrades limited to this many days (Kasten evaluation plans); null when unlimited or none. */
  upgradeDays: number | null;
  bestEffort: boolean;
  targets: Record<Level, Target>;
  /** Levels worked around the clock while the customer has a technical resource available. */
  aroundTheClockLevels: Level[];
  /** Levels that require a root-cause analysis (Premium critical incidents). */
  rcaLevels: Level[];
  /** Levels with "priority handling" (Kasten Premium P1/P2). */
  priorityHandlingLevels: Level[];
}
