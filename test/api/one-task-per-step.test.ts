/**
 * A case open costs one workflow task, as the floor does: update-with-start carries the first search
 * attributes and memo, the read model is written once by a local activity, and the opening's notice goes out
 * through the worker's outbox relay instead of a delivery activity that would wake a second task. Through the
 * real API, worker and SMTP server; the mail still arrives.
 */
import { temporal } from '@temporalio/proto';

const EventType = temporal.api.enums.v1.EventType;
type EventType = temporal.api.enums.v1.EventType;
import { caseWorkflowId } from '../../contract/case';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';
import { testMailer } from '../mail/fixtures';
import { startApiHarness, type ApiHarness } from '../helpers/api-harness';

let h: ApiHarness;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startTestSmtp();
  h = await startApiHarness({ worker: true, mailer: testMailer(smtp.url) });
});
afterAll(async () => {
  await h?.close();
  await smtp?.close();
});

test('POST /v1/cases: one workflow task, no activity task, no upsert of unchanged search attributes; the mail arrives', async () => {
  const opened = await h.http().post('/v1/cases').set(h.as('acme-premier-anna')).send({
    supportId: '01700001',
    type: 'technical',
    severity: 3,
    product: 'backup-replication',
    version: '12.3',
    build: '12.3.1.1139',
    title: 'One task',
    description: 'x',
  });
  expect(opened.status).toBe(201);
  const until = Date.now() + 10_000;
  while (!smtp.received.some((m) => m.header('x-caseflow-case') === opened.body.id) && Date.now() < until)
    await new Promise((r) => setTimeout(r, 50));
  expect(smtp.received.filter((m) => m.header('x-caseflow-case') === opened.body.id).length).toBeGreaterThan(0);

  const handle = h.env.client.workflow.getHandle(caseWorkflowId(opened.body.id));
  const { events } = await handle.fetchHistory();
  const types = events!.map((e) => e.eventType);
  const count = (t: EventType) => types.filter((x) => x === t).length;
  expect(count(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)).toBe(1);
  expect(count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).toBe(0);
  expect(count(EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED)).toBe(0); // memo came with the start
  // The only upserts are the SDK's own TemporalChangeVersion for the patch markers.
  const upserts = events!.filter((e) => e.eventType === EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES);
  for (const u of upserts)
    expect(Object.keys(u.upsertWorkflowSearchAttributesEventAttributes!.searchAttributes!.indexedFields!)).toEqual([
      'TemporalChangeVersion',
    ]);
  const described = await handle.describe();
  expect(described.typedSearchAttributes).toBeDefined();
  expect((described.memo as { caseId?: string }).caseId).toBe(opened.body.id);

  // The next step is one task as well: an engineer's response and its mail.
  expect((await h.http().post(`/v1/cases/${opened.body.id}/responses`).set(h.as('eng-emea')).send({ message: 'On it' })).status).toBe(200);
  const after = (await handle.fetchHistory()).events!.map((e) => e.eventType);
  expect(after.filter((x) => x === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).length).toBe(2);
  expect(after.filter((x) => x === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).length).toBe(0);
});
