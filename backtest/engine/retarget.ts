/**
 * A recorded case's inputs under another policy version: the same organisation (zone, closed dates, custom
 * business hours), opened at the same instant, but the candidate's coverage, targets, around-the-clock
 * levels, contact-attempt rules and warning thresholds. Derived values are memoised per candidate document
 * and (interned) recorded calendar, so cases of one organisation share the candidate's calendars too.
 */
import {
  businessCalendarUnder,
  coverageUnder,
  pinnedPolicy,
  sameWindows,
  settingsUnder,
  type PinnedPolicy,
  type PolicyDocument,
} from '../../policy';
import type { CalendarSpec, EntitlementId } from '../../policy/types';
import type { CaseWorkflowInput } from '../../contract/case';

interface Derived {
  pinned: Map<EntitlementId, PinnedPolicy>;
  settings: ReturnType<typeof settingsUnder>;
  coverage: WeakMap<CalendarSpec, Map<EntitlementId, CalendarSpec>>;
  business: WeakMap<CalendarSpec, WeakMap<PolicyDocument, CalendarSpec>>;
}

const derived = new WeakMap<PolicyDocument, Derived>();

function derive(candidate: PolicyDocument): Derived {
  let d = derived.get(candidate);
  if (!d) {
    d = { pinned: new Map(), settings: settingsUnder(candidate), coverage: new WeakMap(), business: new WeakMap() };
    derived.set(candidate, d);
  }
  return d;
}

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
  const d = derive(candidate);
  const e = input.entitlement;
  let pinned = d.pinned.get(e);
  if (!pinned) d.pinned.set(e, (pinned = pinnedPolicy(candidate, e)));

  let byProgram = d.coverage.get(input.coverage);
  if (!byProgram) d.coverage.set(input.coverage, (byProgram = new Map()));
  let coverage = byProgram.get(e);
  if (!coverage) byProgram.set(e, (coverage = coverageUnder(candidate, e, input.coverage)));

  let byRecorded = d.business.get(input.businessCalendar);
  if (!byRecorded) d.business.set(input.businessCalendar, (byRecorded = new WeakMap()));
  let business = byRecorded.get(recorded);
  if (!business) {
    const ownHours = sameWindows(input.businessCalendar.windows, recorded.defaultBusinessHours) ? null : input.businessCalendar.windows;
    byRecorded.set(recorded, (business = businessCalendarUnder(candidate, input.businessCalendar, ownHours)));
  }
  return {
    ...input,
    coverage,
    businessCalendar: business,
    policy: pinned,
    policyVersion: candidateKey,
    settings: { ...input.settings, ...d.settings },
  };
}
