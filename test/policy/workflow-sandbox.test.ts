/**
 * The policy engine inside a real Temporal worker's workflow sandbox (no Node built-ins, deterministic
 * V8 context): it bundles without the holiday database and computes exactly what it computes outside.
 */
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv } from '../helpers/temporal';
import { resolveClosedDates } from '../../policy/holidays';
import { policyProbeWorkflow } from './sandbox/policy-workflow';
import { L } from './local';

let env: TestWorkflowEnvironment;
let code: string;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  ({ code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('./sandbox/policy-workflow'),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  }));
});

afterAll(async () => {
  await env?.teardown();
});

it('bundles without the holiday library', () => {
  expect(code).toContain('computeDeadline');
  expect(code).not.toMatch(/date-holidays/);
});

it('computes the same deadline, wake-ups and contact days inside the sandbox as outside', async () => {
  const zone = 'Australia/Sydney';
  const closedDates = resolveClosedDates({ country: 'AU', subdivision: 'NSW', fromYear: 2026, toYear: 2026 });
  const openedAt = L('2026-04-02T17:30', zone); // before Easter and the fall-back weekend
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'policy-sandbox', workflowBundle: { code } });
  const result = await worker.runUntil(
    env.client.workflow.execute(policyProbeWorkflow, {
      taskQueue: 'policy-sandbox',
      workflowId: 'policy-sandbox-probe',
      args: [openedAt, zone, closedDates],
    }),
  );
  const expected = await policyProbeWorkflow(openedAt, zone, closedDates);
  expect(result).toEqual(expected);
  expect(result.deadline.kind).toBe('due');
  expect(result.wakes.map((w) => w.kind)).toEqual(['warning', 'warning', 'breach']);
  expect(result.attempts).toEqual(['2026-04-07', '2026-04-08', '2026-04-09']);
});
