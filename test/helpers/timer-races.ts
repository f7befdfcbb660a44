/**
 * Finds the instants where a test acted on a case at the very moment one of its timers fired.
 *
 * On the time-skipping server such an action races the timer: when the task handling the update or signal
 * starts before the fire lands, it cancels a timer the server has just fired, the Java test server refuses
 * that cancel ("invalid history builder state for action") and the case hangs until the test times out.
 * Which side wins is decided by the server's timer threads, so a test that acts there passes on a quiet
 * machine and hangs on a loaded one. The real server accepts the same sequence. Sleeping whole hours after
 * a whole-minute opening lands exactly on breaches and escalations; act a second off instead.
 */
import type { WorkflowClient } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** An action this close after a fire (server time) shared its instant. */
const SAME_INSTANT_MS = 300;

const at = (e: HistoryEvent): number => tsToMs(e.eventTime);

export function actionsAtTimerFires(events: HistoryEvent[]): string[] {
  const found: string[] = [];
  let firedAt = Number.NEGATIVE_INFINITY;
  for (const e of events) {
    if (e.timerFiredEventAttributes) firedAt = at(e);
    const update = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name;
    const signal = e.workflowExecutionSignaledEventAttributes?.signalName;
    const action = update ?? signal;
    if (action && at(e) - firedAt < SAME_INSTANT_MS) found.push(`${action} at ${new Date(at(e)).toISOString()}`);
  }
  return found;
}

/** Throws naming every such action of the given workflows, so the hazard fails where it is written. */
export async function assertNoActionAtTimerFire(client: WorkflowClient, workflowIds: string[]): Promise<void> {
  const found: string[] = [];
  for (const id of workflowIds) {
    const history = await client.getHandle(id).fetchHistory();
    for (const hit of actionsAtTimerFires(history.events ?? [])) found.push(`${id}: ${hit}`);
  }
  if (found.length > 0)
    throw new Error(
      `acted on a case at the instant one of its timers fired (hangs the time-skipping server under load; act a second off):\n${found.join('\n')}`,
    );
}
