/** A prebuilt workflow bundle (what the Docker image ships) is the same workflow code: it replays a recorded history. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { readWorkflowBundle, writeWorkflowBundle } from '../../worker/create-worker';
import { workflowSpanSinks } from '../../worker/tracing';
import { HISTORIES_DIR } from '../fixtures/replay-gate';

const dir = mkdtempSync(join(tmpdir(), 'caseflow-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a bundle written to disk and read back replays a recorded case history', async () => {
  const path = join(dir, 'workflow-bundle.js');
  await writeWorkflowBundle(path);
  const bundle = await readWorkflowBundle(path);
  expect(bundle.code).toContain('caseWorkflow');
  expect(bundle.sourceMap.length).toBeGreaterThan(0);
  // The OpenTelemetry workflow interceptors are in every bundle (worker/tracing.ts); replay is unchanged.
  expect(bundle.code).toContain('OpenTelemetryInboundInterceptor');
  const fixture = join(HISTORIES_DIR, '0.1.0', 'basic-breach-resolved.json');
  const history = historyFromJSON(JSON.parse(readFileSync(fixture, 'utf8')));
  await expect(
    Worker.runReplayHistory({ workflowBundle: bundle, sinks: workflowSpanSinks(null) }, history, 'basic-breach-resolved'),
  ).resolves.toBeUndefined();
});
