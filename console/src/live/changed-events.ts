/**
 * The lowest audit-event id the live stream announced per case since that case's timeline last read its
 * events. A timeline refetches only from there on: events of one case can commit out of id order (the
 * workflow's write and a delivery activity's run side by side), so "after the last one I have" is not enough.
 */
const lowest = new Map<string, number>();

export function noteChangedEvent(caseId: string, eventId: number): void {
  const known = lowest.get(caseId);
  if (known === undefined || eventId < known) lowest.set(caseId, eventId);
}

/** Returns and forgets the lowest announced id of this case. */
export function takeLowestChangedEvent(caseId: string): number | undefined {
  const id = lowest.get(caseId);
  lowest.delete(caseId);
  return id;
}
