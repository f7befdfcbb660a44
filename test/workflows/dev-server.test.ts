/**
 * On the real Temporal dev server: update-with-start as the API opens cases (a retry finds the same case),
 * search attributes and memo for the Web UI's visibility queries, and outbox delivery through the signed
 * webhook, including a receiver that fails once; timers that come due while no worker runs.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { DEDUPE_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature, webhookNotifier } from '../../activities';
import { caseWorkflow } from '../../workflows';
import { caseWorkflowId, engineerResponseUpdate, getCaseQuery, openedUpdate, TASK_QUEUE } from '../../contract/case';
import { caseInput, engineer } from '../fixtures/cases';
import { rid, startHarness, type Harness } from './harness';

const SECRET = 'test-webhook-secret';
interface Received {
  body: string;
  headers: IncomingMessage['headers'];
}
const received: Received[] = [];
let failNext = 1;
let server: Server;
let h: Harness;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(503).end();
        return;
      }
      received.push({ body, headers: req.headers });
      res.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  h = await startHarness('dev', { notifier: webhookNotifier({ url: `http://127.0.0.1:${port}/hook`, secret: SECRET }) });
});
afterAll(async () => {
  await h?.teardown();
  server?.close();
});

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('update-with-start opens a case once even when the request is retried', async () => {
  const input = caseInput({ caseId: 'dev-uws', openedAt: Date.now(), entitlement: 'production', level: 1 });
  const start = () =>
    h.env.client.workflow.executeUpdateWithStart(openedUpdate, {
      args: [{ requestId: 'create-dev-uws' }],
      startWorkflowOperation: new WithStartWorkflowOperation(caseWorkflow, {
        workflowId: caseWorkflowId(input.caseId),
        taskQueue: TASK_QUEUE,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
  const [a, b] = await Promise.all([start(), start()]);
  expect(a.caseId).toBe('dev-uws');
  expect(b.openedAt).toBe(a.openedAt);
  const rm = await h.readModel('dev-uws');
  expect(rm.row!.status).toBe('opened');
  expect(rm.events.filter((e) => e.type === 'opened')).toHaveLength(1);
  expect(rm.row!.firstResponseDueAt!.getTime()).toBe(Date.parse(a.clocks.firstResponse!.dueAt!));

  // The page went out through the webhook, signed, with its dedupe key, after one failed attempt.
  const delivered = await eventually(
    () => h.readModel('dev-uws'),
    (m) => m.outbox.every((n) => n.deliveredAt !== null),
  );
  const page = delivered.outbox.find((n) => n.kind === 'page')!;
  expect(page.deliveredAt).not.toBeNull();
  const hook = received.find((r) => r.headers[DEDUPE_HEADER] === page.dedupeKey)!;
  expect(hook).toBeDefined();
  expect(verifySignature(SECRET, String(hook.headers[TIMESTAMP_HEADER]), hook.body, String(hook.headers[SIGNATURE_HEADER]))).toBe(true);
  expect(verifySignature('wrong-secret', String(hook.headers[TIMESTAMP_HEADER]), hook.body, String(hook.headers[SIGNATURE_HEADER]))).toBe(
    false,
  );
  expect(JSON.parse(hook.body)).toMatchObject({ kind: 'page', recipient: 'oncall:' + a.ownerRegion, channel: 'page' });
  expect(page.attempts).toBeGreaterThanOrEqual(1);
  expect(received.filter((r) => r.headers[DEDUPE_HEADER] === page.dedupeKey)).toHaveLength(1);
});

test('search attributes answer the operator queries of the Web UI', async () => {
  const input = caseInput({
    caseId: 'dev-sa',
    openedAt: Date.now(),
    entitlement: 'production',
    level: 1,
    settings: { sev1UpdateCadenceMinutes: 0.05, warningThresholds: [] },
  });
  const { handle } = await h.open(input);
  await handle.executeUpdate(engineerResponseUpdate, { args: [{ requestId: rid(), actor: engineer }] });
  // The 3-second update cadence passes without an update: the case shows up as a breached Severity 1.
  const query = `CaseSeverity = 1 AND SlaState = 'breached' AND SupportId = '${input.supportId}'`;
  const ids = await eventually(
    async () => {
      const out: string[] = [];
      for await (const wf of h.env.client.workflow.list({ query })) out.push(wf.workflowId);
      return out;
    },
    (found) => found.includes(caseWorkflowId('dev-sa')),
  );
  expect(ids).toContain(caseWorkflowId('dev-sa'));
  const description = await handle.describe();
  expect(description.memo).toMatchObject({ title: input.title });
  const sa = description.typedSearchAttributes;
  expect(sa.getAll().map((p) => p.key.name)).toEqual(
    expect.arrayContaining(['CaseProgram', 'CaseRegion', 'CaseSeverity', 'CaseStatus', 'SlaState', 'SupportId']),
  );
  // Nothing is running towards a due instant any more, so NextDueAt was removed rather than left stale.
  expect(sa.getAll().map((p) => p.key.name)).not.toContain('NextDueAt');
  expect((await handle.query(getCaseQuery)).slaState).toBe('breached');
});

test('timers that come due while no worker runs fire once when a worker returns', async () => {
  const { handle } = await h.open(
    caseInput({
      caseId: 'dev-down',
      openedAt: Date.now(),
      entitlement: 'production',
      level: 1,
      settings: { sev1UpdateCadenceMinutes: 0.05, warningThresholds: [0.5] },
    }),
  );
  // The worker is gone for 6 s: the cadence warning (1.5 s) and breach (3 s) come due meanwhile.
  await h.restartWorker(() => new Promise((r) => setTimeout(r, 6000)));
  const live = await eventually(
    () => handle.query(getCaseQuery),
    (v) => v.clocks.sev1Update!.state === 'breached',
  );
  expect(live.history.filter((e) => e.type === 'sla_breach')).toHaveLength(1);
  expect(live.history.filter((e) => e.type === 'sla_warning')).toHaveLength(1);
  const rm = await eventually(
    () => h.readModel('dev-down'),
    (m) => m.row!.snapshotVersion === live.version,
  );
  expect(
    rm.outbox
      .filter((n) => n.kind === 'sla_breach')
      .map((n) => n.recipient)
      .sort(),
  ).toEqual(['manager:duty', 'oncall:' + live.ownerRegion]);
  expect(rm.outbox.filter((n) => n.kind === 'sla_warning')).toHaveLength(1);
  expect(rm.row!.slaState).toBe('breached');
});
