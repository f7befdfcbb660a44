/**
 * One case under two policies: (a) as recorded, from its kept input with the recorded timer delays, which
 * reproduces its trail exactly (exactness.ts); (b) under the candidate, same commands at the same instants,
 * same delays for the same wakes. Commands the candidate refuses (a reply to a case it already closed) are
 * counted, not applied.
 */
import { POLICY_V1, type PolicyDocument } from '../../policy';
import { commandCauses, commandsOf, tracksPages } from './commands';
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
  const base = replay(recordedInput, commands, until, { keepEvents: false, fireAt, pageEscalation: tracksPages(c.events) });
  const recordedDoc = (c.input.policy ? documentOf(c.input.policyVersion) : undefined) ?? POLICY_V1.document;
  const input = retargetInput(recordedInput, recordedDoc, candidate.document, candidate.key);
  const cand = replay(input, commands, until, {
    keepEvents: false,
    fireAt: sameDelays(base.delays),
    pageEscalation: tracksPages(c.events),
  });
  return { before: outcomeOf(base), after: outcomeOf(cand) };
}
