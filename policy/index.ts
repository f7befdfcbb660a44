/**
 * The support policy engine: pure, deterministic, safe to import from workflows (no I/O, no Node
 * built-ins, explicit zones, no wall clock). The holiday resolver lives in ./holidays (not re-exported:
 * it carries a holiday database that must stay out of the workflow bundle).
 * Readings of the ambiguous policy parts, tests and benchmark numbers: docs/policy.md.
 */
export * from './types';
export * from './settings';
export {
  POLICY_VERSION,
  ENTITLEMENTS,
  LEVELS,
  REGION_LANGUAGES,
  SUN_HANDOFFS_UTC,
  BUSINESS_DAY_MS,
  isAroundTheClock,
  rcaRequired,
  phoneEligibility,
  sunRegionAt,
  nextSunHandoff,
  levelLabel,
  targetLabel,
} from './entitlements';
export {
  isOpen,
  openUntil,
  nextOpening,
  addBusinessTime,
  businessTimeBetween,
  businessTimeByDay,
  closedDatesBetween,
  nextBusinessDays,
  type BusinessDay,
  type BusinessDaySlice,
} from './calendar';
export {
  coverageCalendar,
  businessCalendar,
  kastenBusinessDayCalendar,
  describeWindows,
  DEFAULT_BUSINESS_HOURS,
  type OrgCalendarSettings,
} from './calendars';
export {
  computeDeadline,
  explanationFacts,
  type ExplanationFacts,
  targetCalendar,
  targetDurationMs,
  formatLocal,
  formatLocalWithZone,
  type DeadlineResult,
  type DeadlineInput,
} from './deadline';
export {
  startClock,
  pauseClock,
  resumeClock,
  stopClock,
  changeSeverity,
  nextWake,
  fireDue,
  clockState,
  type SlaClock,
  type ClockStatus,
  type ClockThreshold,
  type ClockChange,
  type ClockDeadline,
  type ClockWake,
  type ClockEvent,
} from './sla-clock';
export { migrateClock, type ClockMigration } from './clock-migration';
export {
  POLICY_V1,
  versionKey,
  versionInForce,
  pinnedPolicy,
  coverageUnder,
  businessCalendarUnder,
  settingsUnder,
  settingsFor,
  policyOf,
  sameWindows,
  targetOf,
  applyPatch,
  diffPolicy,
  policyProblems,
  type PolicyDocument,
  type PolicyVersion,
  type ProgramPolicy,
  type PinnedPolicy,
  type PolicyChange,
  type LevelKey,
  type DeepPartial,
} from './versions';
export {
  OUT_OF_SCOPE_CATEGORIES,
  EXPERIMENTAL_FEATURE_LIMITATIONS,
  outOfScopeReferral,
  isOutOfScopeCategory,
  resolutionScopeProblem,
  resolutionScopeRefusal,
  type OutOfScopeCategory,
  type OutOfScopeReferral,
} from './scope';
