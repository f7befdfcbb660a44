/** The harness's guard against acting at a timer's instant (test/helpers/timer-races.ts) on made histories. */
import { msToTs } from '@temporalio/common/lib/time';
import { actionsAtTimerFires } from '../helpers/timer-races';

// Timestamps shaped as in a fetched history (Long seconds), by the SDK's own conversion.
const t = (iso: string) => msToTs(Date.parse(iso));
const fired = (iso: string) => ({ eventTime: t(iso), timerFiredEventAttributes: { timerId: '1' } });
const update = (iso: string, name: string) => ({
  eventTime: t(iso),
  workflowExecutionUpdateAcceptedEventAttributes: { acceptedRequest: { input: { name } } },
});
const signal = (iso: string) => ({ eventTime: t(iso), workflowExecutionSignaledEventAttributes: { signalName: 'availability' } });

test('an update or signal in the same instant as a fire is named; one a second later is not', () => {
  const events = [
    fired('2027-01-05T07:30:00.035Z'),
    update('2027-01-05T07:30:00.095Z', 'engineerResponse'),
    fired('2027-01-05T08:30:00.040Z'),
    signal('2027-01-05T08:30:01.100Z'),
    update('2027-01-05T09:00:00.000Z', 'resolve'), // no timer fired before it at all in this stretch
  ];
  expect(actionsAtTimerFires(events as never)).toEqual(['engineerResponse at 2027-01-05T07:30:00.095Z']);
  expect(actionsAtTimerFires([fired('2027-01-05T08:30:00.040Z'), signal('2027-01-05T08:30:00.060Z')] as never)).toEqual([
    'availability at 2027-01-05T08:30:00.060Z',
  ]);
  expect(actionsAtTimerFires([update('2027-01-05T07:30:00.095Z', 'opened')] as never)).toEqual([]);
});
