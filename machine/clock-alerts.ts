/**
 * Warnings and breaches of every SLA clock: the policy engine says which thresholds passed; this records
 * them and tells the clock's watchers. A breach fires at due + 1 ms (a response exactly at the due instant
 * is on time); a breached manager acknowledgement escalates to the next manager level instead.
 */
import { fireDue, nextWake, type SlaClock } from '../policy';
import { iso, MANAGER_ACK, type Machine } from './context';
import { escalateManager } from './escalation';
import * as notices from './notices';
import { record, touch } from './recording';

/** Timer: fires every due threshold and breach of every clock still in force, clock by clock. */
export function fireClocks(m: Machine, now: number): void {
  for (const name of Object.keys(m.s.clocks)) {
    if (m.s.retiredClocks.includes(name)) continue;
    const before = m.s.clocks[name]!;
    const wake = nextWake(before);
    if (!wake || wake.at > now) continue;
    const { clock, events } = fireDue(before, now);
    m.s.clocks[name] = clock;
    for (const event of events) {
      if (event.kind === 'warning') {
        const scheduled = before.thresholds.find((t) => t.fraction === event.threshold)?.at ?? now;
        onWarning(m, name, before, event.threshold, scheduled, now);
      } else {
        onBreach(m, name, before.dueAt!, now);
      }
    }
    touch(m);
  }
}

/** The key names the clock run (start and number of re-targetings), so a re-armed threshold fires anew. */
function onWarning(m: Machine, name: string, clock: SlaClock, threshold: number, scheduledFor: number, now: number): void {
  const cause = `${name}@${iso(clock.startedAt)}/${clock.changes.length}/${threshold}`;
  const dueAt = iso(clock.dueAt);
  const facts = { clock: name, threshold, scheduledFor: iso(scheduledFor), dueAt, level: m.s.level };
  record(m, 'sla_warning', 'system', now, cause, facts);
  notices.slaWarning(m, name, cause, facts);
}

/** Breach instant = due + 1 ms (a response exactly at the due instant is on time). */
function onBreach(m: Machine, name: string, dueAt: number, now: number): void {
  const cause = `${name}@${iso(dueAt)}`;
  record(m, 'sla_breach', 'system', now, cause, { clock: name, dueAt: iso(dueAt), scheduledFor: iso(dueAt + 1), level: m.s.level });
  if (name === MANAGER_ACK) {
    escalateManager(m, now, cause);
    return;
  }
  const payload = { clock: name, dueAt: iso(dueAt), scheduledFor: iso(dueAt + 1), level: m.s.level, title: m.input.title };
  notices.slaBreach(m, cause, payload);
}
