/**
 * Drives the deterministic case machine (machine/) outside Temporal, exactly as the workflow does:
 * each recorded command at its recorded instant, after everything due up to that instant has fired, with one
 * outbox batch per step (audit-event keys depend on it). Timers fire at their due instant: what a policy
 * promised, not how late a worker happened to run.
 */
import { businessTimeBetween, targetCalendar } from '../../policy';
import type { CaseWorkflowInput } from '../../contract/case';
import type { CaseEventRecord } from '../../activities/types';
import { CASE_COMMANDS } from '../../contract/commands';
import { CaseMachine } from '../../machine/case-machine';
import { isRefusal } from '../../machine/refusal';
import { FIRST_RESPONSE } from '../../machine/context';
import { clockView } from '../../machine/clock-view';
import { resolveSettings } from '../../policy/settings';
import type { Level } from '../../policy/types';
import { slaOutcome } from '../../contract/sla-outcome';
import { asMachineCommand, type TimedCommand } from './commands';
import type { CaseOutcome, RecordedEvent } from './types';

/** A runaway guard: a case wakes at most this often between two commands (hand-offs every 8 h for years). */
const MAX_WAKES = 20_000;

/** When a wake due at `w` fires: `w` itself (ideal timers) or a little later, as the recorded run did. */
export type FireAt = (wake: number) => number;

export interface ReplayOptions {
  keepEvents?: boolean;
  /** The recorded run tracked page acknowledgements (commands.tracksPages). */
  pageEscalation?: boolean;
  /** The recorded run re-targeted clocks without a due instant on a severity change (commands.retargetsBestEffort). */
  retargetBestEffort?: boolean;
  fireAt?: FireAt;
}

export interface Replay {
  /** Wake instant -> instant it fired at, where they differ (for replaying another policy with the same delays). */
  delays: Map<number, number>;
  machine: CaseMachine;
  /** Every audit event, when asked for (the exactness check); reports need only the counts. */
  events: RecordedEvent[];
  warnings: number;
  breaches: number;
  refused: number;
  /** The level when the first-response clock stopped (null: it never stopped; it counts at the case's level). */
  firstResponseStoppedLevel: Level | null;
}

/** Replays `commands` on a case opened with `input`, up to `until` (the instant the trail was read). */
export function replay(input: CaseWorkflowInput, commands: readonly TimedCommand[], until: number, opts: ReplayOptions = {}): Replay {
  const { keepEvents = true, fireAt = (w: number) => w, pageEscalation = true, retargetBestEffort = true } = opts;
  const delays = new Map<number, number>();
  const m = CaseMachine.open(input, resolveSettings(input.settings), pageEscalation, retargetBestEffort);
  const events: RecordedEvent[] = [];
  let warnings = 0;
  let breaches = 0;
  let stoppedLevel: Level | null = null;
  const drain = () => {
    // As the read model keeps sla_clocks.stopped_level: the level of the step that stopped the clock.
    if (stoppedLevel === null && (m.s.clocks[FIRST_RESPONSE]?.stoppedAt ?? null) !== null) stoppedLevel = m.s.level;
    for (const e of m.drain().events) {
      if (e.type === 'sla_warning') warnings++;
      else if (e.type === 'sla_breach') breaches++;
      if (keepEvents) events.push(toRecorded(e));
    }
  };
  drain();
  let refused = 0;
  for (const c of commands) {
    fireUntil(m, Math.min(c.at, until), fireAt, delays, drain);
    if (c.at > until || m.hasSeen(c.requestId)) continue;
    if (m.closedForGood) {
      refused++; // the workflow has finished: nobody can act on the case any more
      continue;
    }
    if (apply(m, c) === 'refused') {
      refused++; // the machine refuses it under this policy (e.g. the case is already closed)
      continue;
    }
    drain();
  }
  fireUntil(m, until, fireAt, delays, drain);
  return { machine: m, events, warnings, breaches, refused, delays, firstResponseStoppedLevel: stoppedLevel };
}

/** Fires every wake whose firing instant is at or before `until` (a command at `until` comes after them). */
function fireUntil(m: CaseMachine, until: number, fireAt: FireAt, delays: Map<number, number>, drain: () => void): void {
  for (let i = 0; i < MAX_WAKES && !m.closedForGood; i++) {
    const wake = m.nextWakeAt();
    if (wake === null) return;
    const at = Math.max(wake, fireAt(wake));
    if (at > until) return;
    if (at !== wake) delays.set(wake, at);
    m.fireDue(at);
    drain();
  }
}

/**
 * The firing instants of a recorded run read at `readAt`: a wake fires at the first recorded timer step at or
 * after it, when that step is within `tolerance` (the worker's delay). Command steps are not timer steps.
 */
export function recordedFiring(timerSteps: readonly number[], readAt: number, tolerance = 10 * 60_000): FireAt {
  const sorted = [...new Set(timerSteps)].sort((a, b) => a - b);
  return (wake) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < wake) lo = mid + 1;
      else hi = mid;
    }
    const f = sorted[lo];
    if (f !== undefined && f - wake <= tolerance) return f;
    // No step: the wake changed nothing, or a command came first and made it moot (a resolve 2 ms after a
    // severity change cancels the Support Account Manager notice due at once). Firing it at the end of the
    // tolerance gives both their recorded result; a wake due that close to the read had not run yet.
    return wake > readAt - tolerance ? Number.POSITIVE_INFINITY : wake + tolerance;
  };
}

/** Replays another policy with the delays a recorded run showed for the same wakes (others fire on time). */
export function sameDelays(delays: ReadonlyMap<number, number>): FireAt {
  return (wake) => delays.get(wake) ?? wake;
}

/**
 * As the workflow's handler does: an update is validated (InvalidCaseTransition = refused), then applied
 * once per request id; a signal has no validator. Any other error is a bug in the machine or in the trail's
 * reading, and fails the run.
 */
function apply(m: CaseMachine, c: TimedCommand): 'applied' | 'refused' {
  const command = asMachineCommand(c);
  if (CASE_COMMANDS[command.name].message.kind === 'update') {
    try {
      m.validate(command);
    } catch (err) {
      if (isRefusal(err)) return 'refused';
      throw err;
    }
  }
  m.apply(command, c.at);
  return 'applied';
}

function toRecorded(e: CaseEventRecord): RecordedEvent {
  return { key: e.key, type: e.type, actorId: e.actorId, at: Date.parse(e.at), data: e.data };
}

/** What a replayed case says for reports: the first-response clock, alerts, attempts and how it closed. */
export function outcomeOf(r: Replay): CaseOutcome {
  const { machine: m } = r;
  const s = m.s;
  const clock = s.clocks[FIRST_RESPONSE]!;
  const view = clockView(clock, s.retiredClocks.includes(FIRST_RESPONSE));
  const openedAt = Date.parse(m.input.openedAt);
  let elapsedMs: number | null = null;
  if (s.firstResponseAt !== null) {
    const cal = clock.target ? targetCalendar(clock.target, clock.calendar) : null;
    elapsedMs = cal && !cal.alwaysOpen ? businessTimeBetween(cal, openedAt, s.firstResponseAt) : s.firstResponseAt - openedAt;
  }
  return {
    caseId: m.input.caseId,
    entitlement: m.input.entitlement,
    level: r.firstResponseStoppedLevel ?? s.level,
    openedAt,
    firstResponse: {
      state: view.state,
      outcome: slaOutcome(view.state, view.breachedAt !== null),
      dueAt: view.dueAt === null ? null : Date.parse(view.dueAt),
      respondedAt: s.firstResponseAt,
      elapsedMs,
      target: view.target,
      explanation: view.explanation,
    },
    warnings: r.warnings,
    breaches: r.breaches,
    contactAttemptsMade: s.contactAttempts.filter((a) => a.status === 'made').length,
    closeReason: s.closeReason,
    closedAt: s.closedAt,
    refusedCommands: r.refused,
  };
}
