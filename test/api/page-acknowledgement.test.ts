/**
 * POST /v1/cases/:id/page-acknowledgement through the real app, a Temporal dev server and the case worker:
 * staff acknowledge a Severity 1 page; a refusal is a 409 with the workflow's reason, like every case action.
 */
import { startApiHarness, type ApiHarness } from '../helpers/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ worker: true });
});
afterAll(() => h?.close());

const ANNA = 'acme-premier-anna'; // case admin, Premier (24/7)

async function open(severity: number) {
  const res = await h.http().post('/v1/cases').set(h.as(ANNA)).send({
    supportId: '01700001',
    type: 'technical',
    severity,
    product: 'backup-replication',
    version: '12.3',
    build: '12.3.1.1139',
    title: 'Production backups down',
    description: 'Every job fails',
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; page: { recipient: string; acknowledgedAt: string | null } | null };
}

const ack = (caseId: string, principal: string, body: object = {}) =>
  h.http().post(`/v1/cases/${caseId}/page-acknowledgement`).set(h.as(principal)).send(body);

test('an engineer acknowledges the Severity 1 page; a second acknowledgement is refused with the reason', async () => {
  const opened = await open(1);
  expect(opened.page).toMatchObject({ kind: 'page', escalationLevel: 0, acknowledgedAt: null });
  expect(opened.page!.recipient).toMatch(/^oncall:(APAC|EMEA|AMERICAS)$/);

  const res = await ack(opened.id, 'eng-emea', { note: 'Looking now' });
  expect(res.status).toBe(200);
  expect(res.body.page).toMatchObject({ acknowledgedBy: 'eng-emea', escalatesAt: null });
  expect(res.body.page.acknowledgedAt).not.toBeNull();

  const again = await ack(opened.id, 'mgr-duty');
  expect(again.status).toBe(409);
  expect(again.body).toMatchObject({
    type: 'https://caseflow.dev/problems/case-state-conflict',
    detail: 'The page was already acknowledged by eng-emea',
    // The stable code clients translate, and the value its sentence names (contract/refusals.ts).
    code: 'page-already-acknowledged',
    params: { by: 'eng-emea' },
  });

  const detail = await h.http().get(`/v1/cases/${opened.id}`).set(h.as('eng-emea'));
  const event = detail.body.history.find((e: { type: string }) => e.type === 'page_acknowledged');
  expect(event).toMatchObject({ actorId: 'eng-emea', data: { level: 0, note: 'Looking now' } });
});

test('customers may not acknowledge; a case without a page says so', async () => {
  const sev1 = await open(1);
  expect((await ack(sev1.id, ANNA)).status).toBe(403);
  const sev3 = await open(3);
  expect(sev3.page).toBeNull();
  const res = await ack(sev3.id, 'demo-admin');
  expect(res.status).toBe(409);
  expect([res.body.code, res.body.detail]).toEqual(['no-page', 'There is no page on this case to acknowledge']);
  const invalid = await ack(sev3.id, 'eng-emea', { unknown: 1 });
  // Other problems answer their type's slug as the code.
  expect([invalid.status, invalid.body.code]).toEqual([400, 'invalid-request']);
});
