/**
 * An engineer acting from the `temporal` CLI (docs/operations.md, "Case actions from the Temporal CLI"):
 * the pinned CLI binary sends a workflow update to a case the API opened, and the workflow's own
 * validator refuses a bad one with the same reason the API gives, because the check runs in the workflow.
 */
import { execFile } from 'node:child_process';
import { caseWorkflowId } from '../../contract/case';
import { ensureTemporalCli } from '../../runtime/temporal-toolchain';
import { startApiHarness, type ApiHarness } from '../helpers/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ worker: true });
}, 120_000);
afterAll(async () => {
  await h?.close();
});

/** Runs the CLI asynchronously: the case worker polls in this very process and must keep running. */
function cli(workflowId: string, name: string, input: object, updateId: string): Promise<{ status: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      ensureTemporalCli(),
      [
        'workflow',
        'update',
        'execute',
        '--address',
        h.env.address,
        '--namespace',
        'default',
        '--workflow-id',
        workflowId,
        '--name',
        name,
        '--update-id',
        updateId,
        '--input',
        JSON.stringify(input),
        '--output',
        'json',
      ],
      { encoding: 'utf8', timeout: 30_000 },
      (err, stdout, stderr) => resolve({ status: err ? Number(err.code ?? 1) || 1 : 0, out: stdout + stderr }),
    );
  });
}

test('the temporal CLI performs an update, and the workflow validator refuses a bad one', async () => {
  const created = await h
    .http()
    .post('/v1/cases')
    .set(h.as('acme-premier-anna'))
    .send({ supportId: '01700001', type: 'licensing', severity: 3, title: 'Licence count', description: 'Shows 50, bought 80' });
  expect(created.status).toBe(201);
  const caseId = created.body.id as string;
  const workflowId = caseWorkflowId(caseId);
  const jonas = { id: 'eng-emea', role: 'engineer', name: 'Jonas (engineer, EMEA)' };

  const ok = await cli(workflowId, 'requestInfo', { requestId: 'cli-1', actor: jonas, message: 'Please send the licence file' }, 'cli-1');
  expect(ok).toMatchObject({ status: 0 });
  expect(ok.out).toContain('awaiting_customer');
  const after = await h.http().get(`/v1/cases/${caseId}`).set(h.as('eng-emea'));
  expect(after.body.status).toBe('awaiting_customer');

  // An engineer may not send a customer reply: the validator refuses, the case is unchanged.
  const bad = await cli(
    workflowId,
    'customerReply',
    { requestId: 'cli-2', actor: jonas, message: 'pretending to be the customer' },
    'cli-2',
  );
  expect(bad.status).not.toBe(0);
  const api = await h
    .http()
    .post(`/v1/cases/${caseId}/resolution`)
    .set(h.as('eng-emea'))
    .send({ resolutionType: 'workaround', summary: ' ' });
  expect(api.status).toBe(400);
  const refusedByCli = await cli(
    workflowId,
    'resolve',
    { requestId: 'cli-3', actor: jonas, resolutionType: 'workaround', summary: ' ' },
    'cli-3',
  );
  expect(refusedByCli.status).not.toBe(0);
  expect(refusedByCli.out).toContain('A resolution needs a summary');
  expect(bad.out).toMatch(/customer reply/i);
  const unchanged = await h.http().get(`/v1/cases/${caseId}`).set(h.as('eng-emea'));
  expect(unchanged.body.status).toBe('awaiting_customer');
  expect((unchanged.body.history as { type: string }[]).map((e) => e.type)).not.toContain('customer_reply');
});
