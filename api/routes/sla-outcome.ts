/**
 * One rule for every SLA report (GET /v1/reports/sla, .../daily, .../cases): what became of a case's
 * first-response clock, and which level it counts under. Each first-response clock has exactly one outcome,
 * so a row's columns always add up to its cases:
 *
 * | outcome                   | the sla_clocks row                                                          |
 * |---------------------------|-----------------------------------------------------------------------------|
 * | `no_target`               | no_target, not_available, best_effort: there was no due instant to meet     |
 * | `breached`                | the clock passed its due instant (breached_at set, or state breached): answered late, still unanswered, or closed after the due instant without an answer |
 * | `met`                     | answered at or before the due instant                                        |
 * | `open`                    | running or paused, not breached                                              |
 * | `closed_without_response` | stopped by the closing before its due instant, nobody answered (state stopped) |
 *
 * A breach is never cleared by a later closing: the promise was missed. (A severity lowered before the
 * answer re-targets the clock and clears its breach, docs/policy.md reading 12; the clock's final state is what counts.)
 *
 * Level: the level the first-response clock ended at (docs/policy.md, back-tests): stopped_level once the
 * clock stopped (kept through later severity changes), else the case's level now (the clock still runs).
 *
 * Response times (median, p90) only over clocks that measured a response: elapsed_ms is null for clocks
 * still running and for cases closed unanswered; only met and breached clocks are answered ones.
 */
import { sql } from 'drizzle-orm';
import { slaClocks } from '../../db/schema';

import { NO_TARGET_STATES, OPEN_STATES, type SlaOutcome } from '../../contract/sla-outcome';

// The rule itself is contract/sla-outcome.ts (slaOutcome), shared with the back-test's report; this is its SQL
// form over sla_clocks (test/backtest/corners.test.ts covers the rule).
export { SLA_OUTCOMES, type SlaOutcome } from '../../contract/sla-outcome';

/** Constants inlined as SQL literals (not parameters: the expression is also grouped by). */
const literals = (xs: readonly string[]) => sql.raw(xs.map((x) => `'${x}'`).join(', '));

export const reportLevel = sql<number | null>`coalesce(${slaClocks.stoppedLevel}, ${slaClocks.level})`;

export const outcomeOf = sql<SlaOutcome>`(case
  when ${slaClocks.state} in (${literals(NO_TARGET_STATES)}) then 'no_target'
  when ${slaClocks.state} = 'breached' or ${slaClocks.breachedAt} is not null then 'breached'
  when ${slaClocks.state} = 'met' then 'met'
  when ${slaClocks.state} in (${literals(OPEN_STATES)}) then 'open'
  else 'closed_without_response' end)`;

export const isOutcome = (o: SlaOutcome) => sql`${outcomeOf} = ${o}`;

export const countOutcome = (o: SlaOutcome) => sql<number>`(count(*) filter (where ${isOutcome(o)}))::int`;

/** The response time percentile over answered clocks (met or breached with an answer). */
export const responsePercentile = (p: number) =>
  sql<number | null>`(percentile_cont(${sql.raw(String(p))}) within group (order by ${slaClocks.elapsedMs}) filter (where ${
    slaClocks.elapsedMs
  } is not null and ${outcomeOf} in ('met', 'breached')))::float8`;
