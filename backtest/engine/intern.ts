/**
 * One object per distinct calendar: the policy engine memoises compiled calendars by object identity, and a
 * back-test reads thousands of cases of the same organisations, each with its own copy of the same calendar
 * from JSON. Interning them lets every case of an organisation share one compiled calendar. Bounded; a
 * cleared cache only costs recompiling.
 */
import type { CalendarSpec } from '../../policy/types';
import type { CaseWorkflowInput } from '../../contract/case';

const MAX = 5000;
const calendars = new Map<string, CalendarSpec>();

export function internCalendar(spec: CalendarSpec): CalendarSpec {
  const key = `${spec.zone}|${spec.alwaysOpen ? 1 : 0}|${spec.label ?? ''}|${spec.windows.map((w) => `${w.day}${w.open}${w.close}`).join(',')}|${spec.closedDates.join(',')}`;
  const known = calendars.get(key);
  if (known) return known;
  if (calendars.size >= MAX) calendars.clear();
  calendars.set(key, spec);
  return spec;
}

/** The input with its calendars interned (a new object; the input is not changed). */
export function internInput(input: CaseWorkflowInput): CaseWorkflowInput {
  return { ...input, coverage: internCalendar(input.coverage), businessCalendar: internCalendar(input.businessCalendar) };
}
