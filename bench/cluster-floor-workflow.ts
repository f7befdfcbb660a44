/**
 * The floor of the open-rate benchmark: the least a Temporal workflow can do to "open" something, i.e. an
 * update-with-start whose update runs one local activity and answers. Caseflow's case workflow does the same
 * round trip plus its rules and the read-model write, so the ratio of the two rates is the product's overhead.
 */
import { defineUpdate, proxyLocalActivities, setHandler, condition } from '@temporalio/workflow';
import type * as activities from './cluster-floor-activities';

export const floorOpened = defineUpdate<string, [string]>('opened');

const { recordOpen } = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '10 seconds' });

export async function floorWorkflow(): Promise<void> {
  setHandler(floorOpened, (id) => recordOpen(id));
  // Like a case, the workflow stays open after it answered (a case lives for weeks).
  await condition(() => false);
}
