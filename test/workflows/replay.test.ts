/**
 * Today's workflow code must replay the histories recorded from earlier code (test/fixtures/histories,
 * recorded by test/fixtures/record-histories.ts). A failure here means a change is not replay-safe: guard it
 * with `patched()` (see docs/workflow.md, "Versioning") instead of re-recording.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { caseWorkflowBundle } from '../../worker/create-worker';

const DIR = join(__dirname, '..', 'fixtures', 'histories');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

test('recorded histories are kept as fixtures', () => {
  expect(files).toEqual([
    'basic-breach-resolved.json',
    'contact-attempts-closed.json',
    'continued-as-new.json',
    'sev1-page-escalated-email-reply.json',
    'sev1-unavailable-escalated.json',
  ]);
});

test('every recorded history replays without nondeterminism', async () => {
  const histories = files.map((f) => ({
    workflowId: f.replace(/\.json$/, ''),
    history: historyFromJSON(JSON.parse(readFileSync(join(DIR, f), 'utf8'))),
  }));
  const results: Array<{ workflowId: string; error?: unknown }> = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: await caseWorkflowBundle() }, histories)) {
    results.push({ workflowId: result.workflowId, error: result.error });
  }
  expect(results.map((r) => r.workflowId).sort()).toEqual(histories.map((h) => h.workflowId).sort());
  expect(results.filter((r) => r.error !== undefined)).toEqual([]);
});
