/**
 * Exactness: a case replayed under the policy it was recorded with must produce its recorded audit trail.
 * Events are matched by key (deterministic: type and cause) and compared on type, actor and data, which
 * carry every due instant, breach, warning, attempt and closure to the millisecond, and on the instant. Timers
 * fire when the recorded run fired them (a worker runs a little after a timer is due, and a manager
 * escalation's next window starts from that instant).
 */
import { commandCauses, commandsOf, retargetsBestEffort, tracksPages, requestIdOf, type TimedCommand } from './commands';
import { recordedFiring, replay } from './replay';
import type { RecordedCase, RecordedEvent, RoleOf } from './types';

export interface Difference {
  caseId: string;
  key: string;
  kind: 'missing' | 'extra' | 'changed' | 'instant';
  recorded?: RecordedEvent;
  replayed?: RecordedEvent;
}

/** Instants at which the recorded run fired timers: events not caused by the opening or a command. */
export function timerSteps(events: readonly RecordedEvent[], causes: ReadonlySet<string>): number[] {
  return events
    .filter((e) => {
      const cause = requestIdOf(e);
      return cause !== 'open' && !causes.has(cause); // 'open': the opening's own events
    })
    .map((e) => e.at);
}

/** JSON with sorted keys (jsonb changes key order). */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );
}

/** Differences between a case's trail and its replay under the recorded inputs, up to `until`. */
export function exactnessDiff(c: RecordedCase, until: number, roleOf?: RoleOf): Difference[] {
  const commands: TimedCommand[] = commandsOf(c.events, roleOf);
  const causes = commandCauses(commands);
  const replayed = replay(c.input, commands, until, {
    fireAt: recordedFiring(timerSteps(c.events, causes), until),
    pageEscalation: tracksPages(c.events),
    retargetBestEffort: retargetsBestEffort(c.events),
  }).events;
  const caseId = c.input.caseId;
  const out: Difference[] = [];
  const byKey = new Map(replayed.map((e) => [e.key, e]));
  const seen = new Set<string>();
  for (const rec of c.events) {
    seen.add(rec.key);
    const rep = byKey.get(rec.key);
    if (!rep) {
      out.push({ caseId, key: rec.key, kind: 'missing', recorded: rec });
      continue;
    }
    if (rep.type !== rec.type || rep.actorId !== rec.actorId || canonical(rep.data) !== canonical(rec.data)) {
      out.push({ caseId, key: rec.key, kind: 'changed', recorded: rec, replayed: rep });
      continue;
    }
    if (rep.at !== rec.at) out.push({ caseId, key: rec.key, kind: 'instant', recorded: rec, replayed: rep });
  }
  for (const rep of replayed) if (!seen.has(rep.key)) out.push({ caseId, key: rep.key, kind: 'extra', replayed: rep });
  return out;
}
