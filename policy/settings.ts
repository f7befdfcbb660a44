/**
 * The tunables a case pins when it opens, and their defaults: defined once here. Version 1 of the policy
 * (versions.ts) takes its thresholds and contact-attempt rule from these defaults; a new case pins the
 * complete set in its input (`settingsFor`), so a later change of a default never reaches a running case.
 */
export interface CaseSettings {
  warningThresholds: number[]; // fractions of the target, e.g. [0.75, 0.9]
  sev1UpdateCadenceMinutes: number; // around-the-clock customer update cadence
  managerAckBusinessMinutes: number; // talk-to-a-manager acknowledgement window, business time
  managerEscalationLevels: number; // how many levels above the duty manager exist
  resolutionAutoCloseBusinessDays: number;
  contactAttempts: number; // 3 by policy
  contactAttemptTime: string; // local HH:mm of each contact attempt inside business hours
  maxHistoryLength: number; // continue-as-new threshold (events)
  /** Wall-clock minutes a Severity 1 page waits for an acknowledgement before it escalates (fallback, then duty manager). */
  pageAckMinutes: number;
}

export const DEFAULT_SETTINGS: Readonly<CaseSettings> = {
  warningThresholds: [0.75, 0.9],
  sev1UpdateCadenceMinutes: 120,
  managerAckBusinessMinutes: 60,
  managerEscalationLevels: 2,
  resolutionAutoCloseBusinessDays: 5,
  contactAttempts: 3,
  contactAttemptTime: '10:00',
  maxHistoryLength: 10_000,
  pageAckMinutes: 15,
};

/**
 * The settings a case runs with: what it pinned, over the defaults for anything it did not pin (cases opened
 * before the whole set was pinned), thresholds in ascending order.
 */
export function resolveSettings(overrides: Partial<CaseSettings> | undefined): CaseSettings {
  const s = { ...DEFAULT_SETTINGS, ...(overrides ?? {}) };
  return { ...s, warningThresholds: [...s.warningThresholds].sort((a, b) => a - b) };
}
