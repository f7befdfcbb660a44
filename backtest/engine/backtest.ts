/**
 * One case under two policies: (a) as recorded, from its kept input with the recorded timer delays, which
 * reproduces its trail exactly (exactness.ts); (b) under the candidate, same commands at the same instants,
 * same delays for the same wakes. Commands the candidate refuses (a reply to a case it already closed) are
 * counted, not applied.
 */
import { POLICY_V1, type PolicyDocument } from '../../policy';
import type { CalendarSpec } from '../../policy/types';
import type { CaseWorkflowInput } from '../../contract/case';
import { commandCauses, commandsOf, retargetsBestEffort, tracksPages } from './commands';
import { timerSteps } from './exactness';
import { outcomeOf, recordedFiring, replay, sameDelays } from './replay';
import { internInput } from './intern';
import { retargetInput } from './retarget';
import type { CaseOutcome, RecordedCase, RoleOf } from './types';

export interface CasePair {
  before: CaseOutcome;
  after: CaseOutcome;
}

export interface Candidate {
  key: string;
  document: PolicyDocument;
  /**
   * Closed dates (local YYYY-MM-DD, e.g. a new company holiday) added to every case's coverage and business
   * calendars under the candidate, on top of the holidays the case pinned when it opened.
   */
  closedDates?: string[];
}

const withDates = new WeakMap<CalendarSpec, Map<string, CalendarSpec>>();

/** `cal` with `dates` closed too (memoised per calendar, so cases of one organisation share the result). */
function closing(cal: CalendarSpec, dates: readonly string[]): CalendarSpec {
  if (cal.alwaysOpen || dates.length === 0) return cal;
  const key = dates.join(',');
  let byDates = withDates.get(cal);
  if (!byDates) withDates.set(cal, (byDates = new Map()));
  let out = byDates.get(key);
  if (!out) byDates.set(key, (out = { ...cal, closedDates: [...new Set([...cal.closedDates, ...dates])].sort() }));
  return out;
}

/** The case's inputs under the candidate: its document, and its extra closed dates. */
export function candidateInput(input: CaseWorkflowInput, recordedDoc: PolicyDocument, candidate: Candidate): CaseWorkflowInput {
  const retargeted = retargetInput(input, recordedDoc, candidate.document, candidate.key);
  const dates = candidate.closedDates ?? [];
  if (dates.length === 0) return retargeted;
  return {
    ...retargeted,
    coverage: closing(retargeted.coverage, dates),
    businessCalendar: closing(retargeted.businessCalendar, dates),
  };
}

/** `documentOf` maps a pinned version key to its document (version 1 for cases without a pinned policy). */
export function backtestCase(
  c: RecordedCase,
  candidate: Candidate,
  until: number,
  documentOf: (key: string) => PolicyDocument | undefined,
  roleOf?: RoleOf,
): CasePair {
  const commands = commandsOf(c.events, roleOf);
  const fireAt = recordedFiring(timerSteps(c.events, commandCauses(commands)), until);
  const recordedInput = internInput(c.input);
  const flags = { pageEscalation: tracksPages(c.events), retargetBestEffort: retargetsBestEffort(c.events) };
  const base = replay(recordedInput, commands, until, { keepEvents: false, fireAt, ...flags });
  const recordedDoc = (c.input.policy ? documentOf(c.input.policyVersion) : undefined) ?? POLICY_V1.document;
  const input = candidateInput(recordedInput, recordedDoc, candidate);
  const cand = replay(input, commands, until, {
    keepEvents: false,
    fireAt: sameDelays(base.delays),
    ...flags,
  });
  return { before: outcomeOf(base), after: outcomeOf(cand) };
}
