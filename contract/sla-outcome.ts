/**
 * The one classification of a first-response clock for every report: the SLA reports read it from the
 * read model (api/routes/sla-outcome.ts turns it into SQL), the back-test from a replayed clock
 * (backtest/engine/report.ts). Each clock has exactly one outcome, so a row's columns add up to its cases:
 *
 * | outcome                   | the clock                                                                 |
 * |---------------------------|---------------------------------------------------------------------------|
 * | `no_target`               | no_target, not_available, best_effort: there was no due instant to meet   |
 * | `breached`                | it passed its due instant (answered late, still unanswered, or closed after the due instant unanswered) |
 * | `met`                     | answered at or before the due instant                                      |
 * | `open`                    | running or paused, not breached                                            |
 * | `closed_without_response` | stopped by the closing before its due instant, nobody answered             |
 *
 * A breach is never cleared by a later closing. A level lowered before the answer re-targets the clock and
 * clears its breach (docs/policy.md reading 12): the clock's final state is what counts.
 */
export const SLA_OUTCOMES = ['met', 'breached', 'open', 'closed_without_response', 'no_target'] as const;
export type SlaOutcome = (typeof SLA_OUTCOMES)[number];

/** Clock states without a due instant. */
export const NO_TARGET_STATES = ['no_target', 'not_available', 'best_effort'] as const;
/** Clock states of a clock still measuring. */
export const OPEN_STATES = ['running', 'paused'] as const;

/**
 * `state` is the clock's state as the case view shows it (ClockView.state, sla_clocks.state: 'stopped' for a
 * clock retired by the closing); `breached` whether its breach fired (breachedAt set).
 */
export function slaOutcome(state: string, breached: boolean): SlaOutcome {
  if ((NO_TARGET_STATES as readonly string[]).includes(state)) return 'no_target';
  if (state === 'breached' || breached) return 'breached';
  if (state === 'met') return 'met';
  if ((OPEN_STATES as readonly string[]).includes(state)) return 'open';
  return 'closed_without_response';
}
