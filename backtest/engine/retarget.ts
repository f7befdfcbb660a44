/**
 * A recorded case's inputs under another policy version: the same organisation (zone, closed dates, custom
 * business hours), opened at the same instant, but the candidate's coverage, targets, around-the-clock
 * levels, contact-attempt rules and warning thresholds.
 */
import { businessCalendarUnder, coverageUnder, pinnedPolicy, sameWindows, settingsUnder, type PolicyDocument } from '../../policy';
import type { CaseWorkflowInput } from '../../contract/case';

/**
 * `recorded` is the document the case was opened under. Its business calendar counts as the organisation's
 * own hours when it differs from that document's default hours (an organisation whose own hours equal the
 * default follows the candidate's default: the read model does not tell them apart).
 */
export function retargetInput(
  input: CaseWorkflowInput,
  recorded: PolicyDocument,
  candidate: PolicyDocument,
  candidateKey: string,
): CaseWorkflowInput {
  const base = { zone: input.coverage.zone, closedDates: input.coverage.closedDates };
  const business = { zone: input.businessCalendar.zone, closedDates: input.businessCalendar.closedDates };
  const ownHours = sameWindows(input.businessCalendar.windows, recorded.defaultBusinessHours) ? null : input.businessCalendar.windows;
  return {
    ...input,
    coverage: coverageUnder(candidate, input.entitlement, base),
    businessCalendar: businessCalendarUnder(candidate, business, ownHours),
    policy: pinnedPolicy(candidate, input.entitlement),
    policyVersion: candidateKey,
    settings: { ...input.settings, ...settingsUnder(candidate) },
  };
}
