/** Defaults for the tunables a case pins when it opens (contract `CaseSettings`). */
import type { CaseSettings } from '../contract/case';

export const DEFAULT_SETTINGS: CaseSettings = {
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

export function resolveSettings(overrides: Partial<CaseSettings> | undefined): CaseSettings {
  const s = { ...DEFAULT_SETTINGS, ...(overrides ?? {}) };
  return { ...s, warningThresholds: [...s.warningThresholds].sort((a, b) => a - b) };
}
