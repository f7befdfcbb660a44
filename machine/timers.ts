/**
 * Everything timed, in one list: when the case must next wake up, and what happens at that instant. The
 * order of `fireDue` is part of the behaviour (it fixes the order of audit events and notifications, and
 * an earlier step may cancel a later one, e.g. a close stops the hand-offs): keep it.
 */
import { nextWake } from '../policy';
import { fireHandoff, fireSamNotice } from './around-the-clock';
import { fireClocks } from './clock-alerts';
import { fireContactAttempts } from './contact-attempts';
import type { Machine } from './context';
import { fireContactClose } from './conversation';
import { firePageEscalation, pageEscalatesAt } from './pages';
import { fireAutoClose } from './resolution';

/** The earliest instant anything is due, or null when the case only waits for people. */
export function nextWakeAt(m: Machine): number | null {
  let next: number | null = null;
  const consider = (at: number | null | undefined) => {
    if (at !== null && at !== undefined && (next === null || at < next)) next = at;
  };
  for (const [name, clock] of Object.entries(m.s.clocks)) {
    if (!m.s.retiredClocks.includes(name)) consider(nextWake(clock)?.at);
  }
  for (const a of m.s.contactAttempts) if (a.status === 'scheduled') consider(a.scheduledAt);
  consider(m.s.contactCloseAt);
  consider(m.s.autoCloseAt);
  consider(m.s.nextHandoffAt);
  consider(m.s.samNotifyAt);
  consider(pageEscalatesAt(m));
  return next;
}

/** Acts on everything due at or before `now`, in due order within each kind. */
export function fireDue(m: Machine, now: number): void {
  fireClocks(m, now); // warnings and breaches
  fireContactAttempts(m, now);
  fireContactClose(m, now); // last attempt unanswered: closes the case
  fireAutoClose(m, now); // resolution unanswered: closes the case
  fireHandoff(m, now);
  fireSamNotice(m, now);
  firePageEscalation(m, now); // after the hand-off, which may supersede the page
}
