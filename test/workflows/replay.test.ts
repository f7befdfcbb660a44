/**
 * The replay gate in CI: today's workflow bundle must replay every history recorded from every earlier
 * release (test/fixtures/histories/<release>/, added at each release by `npm run histories:record`). A
 * failure names the history and the divergence; it means a change is not replay-safe: guard it with
 * `patched()` (docs/operations.md, "Upgrades") instead of re-recording.
 */
import { caseWorkflowBundle } from '../../worker/create-worker';
import { describeFailures, loadRecordedHistories, releases, replayHistories } from '../fixtures/replay-gate';

// Released histories are never deleted or re-recorded: this list only grows (a new release adds its own).
const KEPT = [
  '0.1.0/basic-breach-resolved',
  '0.1.0/contact-attempts-closed',
  '0.1.0/continued-as-new',
  '0.1.0/sev1-page-escalated-email-reply',
  '0.1.0/sev1-unavailable-escalated',
];

const histories = loadRecordedHistories();

test('every release keeps its recorded histories', () => {
  expect(releases().length).toBeGreaterThan(0);
  expect(histories.map((h) => h.name)).toEqual(expect.arrayContaining(KEPT));
  for (const h of histories) expect(h.history.events?.length ?? 0).toBeGreaterThan(0);
});

test('every recorded history of every release replays on the current bundle', async () => {
  const failures = await replayHistories(await caseWorkflowBundle(), histories);
  const report = describeFailures(failures);
  if (report) throw new Error(report);
});
