/** Publishing a policy version through the API: new cases pin it at its effective instant, older cases keep theirs. */
import { eq } from 'drizzle-orm';
import { caseInputs } from '../../db/schema';
import { DEFAULT_SETTINGS } from '../../policy';
import { startApiHarness, type ApiHarness } from '../helpers/api-harness';

let h: ApiHarness;
let unansweredSev2: string[] = [];
beforeAll(async () => {
  h = await startApiHarness({ worker: true });
});
afterAll(() => h?.close());

const ADMIN = 'demo-admin';
const ANNA = 'acme-premier-anna'; // Premier: 30 minutes, around the clock
const HOUR = 3_600_000;
const openCase = () =>
  h.http().post('/v1/cases').set(h.as(ANNA)).send({
    supportId: '01700001',
    type: 'technical',
    severity: 2,
    product: 'backup-replication',
    version: '12.3',
    build: '12.3.1.1139',
    title: 'Backups fail',
    description: 'Error 5',
  });

test('version 1 is in force until an administrator publishes; bad versions are refused with the field', async () => {
  const policy = await h.http().get('/v1/policy').set(h.as('eng-emea'));
  expect(policy.body).toMatchObject({ version: '2026-11-01', versionNumber: 1 });
  const list = await h.http().get('/v1/policy/versions').set(h.as('eng-emea'));
  expect(list.body.items).toHaveLength(1);
  expect(list.body.items[0]).toMatchObject({ version: 1, inForce: true, changes: [] });

  const future = new Date(Date.now() + 60_000).toISOString();
  const patch = { programs: { premier: { targets: { '2': { kind: 'wall', ms: HOUR } } } } };
  expect((await h.http().post('/v1/policy/versions').set(h.as('mgr-duty')).send({ effectiveAt: future, note: 'x', patch })).status).toBe(
    403,
  );
  const badTarget = await h
    .http()
    .post('/v1/policy/versions')
    .set(h.as(ADMIN))
    .send({ effectiveAt: future, note: 'x', patch: { programs: { premier: { targets: { '2': { kind: 'wall', ms: -5 } } } } } });
  expect(badTarget.status).toBe(400);
  expect(badTarget.body.errors[0].field).toMatch(/programs\.premier\.targets\.2/);
  const past = await h.http().post('/v1/policy/versions').set(h.as(ADMIN)).send({ effectiveAt: '2020-01-01T00:00:00Z', note: 'x', patch });
  expect(past.status).toBe(409);
  const both = await h
    .http()
    .post('/v1/policy/versions')
    .set(h.as(ADMIN))
    .send({ effectiveAt: future, note: 'x', patch, document: list.body.items[0].document });
  expect(both.status).toBe(400);
});

test('a published version is used by cases opened after its effective instant; earlier cases keep theirs', async () => {
  const before = await openCase();
  expect(before.status).toBe(201);
  expect(Date.parse(before.body.sla.firstResponse.dueAt) - Date.parse(before.body.openedAt)).toBe(HOUR / 2);

  const effectiveAt = Date.now() + 1500;
  const published = await h
    .http()
    .post('/v1/policy/versions')
    .set(h.as(ADMIN))
    .send({
      effectiveAt: new Date(effectiveAt).toISOString(),
      note: 'Premier Severity 2 in one hour',
      patch: { programs: { premier: { targets: { '2': { kind: 'wall', ms: HOUR } } } } },
    });
  expect(published.status).toBe(201);
  expect(published.body).toMatchObject({
    version: 2,
    key: 'v2',
    inForce: false,
    changes: [{ path: 'programs.premier.targets.2', from: { kind: 'wall', ms: HOUR / 2 }, to: { kind: 'wall', ms: HOUR } }],
  });
  // Not yet effective: a case opened now still gets version 1.
  const stillV1 = await openCase();
  expect(stillV1.body.policyVersion).toBe('2026-11-01');

  await new Promise((r) => setTimeout(r, Math.max(0, effectiveAt - Date.now() + 50)));
  expect((await h.http().get('/v1/policy').set(h.as('eng-emea'))).body).toMatchObject({ version: 'v2', versionNumber: 2 });
  const after = await openCase();
  expect(after.status).toBe(201);
  expect(Date.parse(after.body.sla.firstResponse.dueAt) - Date.parse(after.body.openedAt)).toBe(HOUR);
  expect(after.body.policyVersion).toBe('v2');
  unansweredSev2 = [stillV1.body.id, after.body.id].sort();
  expect(await pinnedVersion(after.body.id)).toBe('v2');
  expect(await pinnedVersion(before.body.id)).toBe('2026-11-01');

  // The running case opened under version 1 keeps its 30-minute target after a severity change.
  const changed = await h
    .http()
    .post(`/v1/cases/${before.body.id}/severity`)
    .set(h.as('eng-emea'))
    .send({ severity: 3, reason: 'less urgent' });
  expect(changed.status).toBe(200);
  const detail = await h.http().get(`/v1/cases/${before.body.id}`).set(h.as('eng-emea'));
  const change = (detail.body.history as Array<{ type: string; at: string }>).find((e) => e.type === 'severity_changed')!;
  expect(Date.parse(changed.body.sla.firstResponse.dueAt) - Date.parse(change.at)).toBe(HOUR / 2);

  const list = await h.http().get('/v1/policy/versions').set(h.as('mgr-duty'));
  expect(list.body.items.map((v: { version: number; inForce: boolean }) => [v.version, v.inForce])).toEqual([
    [1, false],
    [2, true],
  ]);
});

async function pinnedVersion(caseId: string): Promise<string | undefined> {
  const [row] = await h.database.db.select().from(caseInputs).where(eq(caseInputs.caseId, caseId));
  return row?.policyVersion;
}

describe('back-tests through the API', () => {
  test('a manager back-tests a tighter Premier target on the recorded cases and polls the kept report', async () => {
    expect(
      (
        await h
          .http()
          .post('/v1/policy/backtests')
          .set(h.as('eng-emea'))
          .send({ candidate: { version: 1 } })
      ).status,
    ).toBe(403);
    expect((await h.http().post('/v1/policy/backtests').set(h.as('mgr-duty')).send({ candidate: {} })).status).toBe(400);
    const started = await h
      .http()
      .post('/v1/policy/backtests')
      .set(h.as('mgr-duty'))
      .send({
        candidate: { patch: { programs: { premier: { targets: { '2': { kind: 'wall', ms: 1 } } } } } },
        range: { programs: ['premier'] },
      });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'running', baseVersion: 2, changes: [{ path: 'programs.premier.targets.2' }] });
    let body = started.body;
    for (let i = 0; i < 100 && body.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      body = (await h.http().get(`/v1/policy/backtests/${started.body.id}`).set(h.as('demo-admin'))).body;
    }
    expect(body.status).toBe('completed');
    // Three Premier cases opened above. Under a 1 ms Severity 2 target the two still-unanswered Severity 2 cases
    // breach instead of running; the third went to Severity 3 (30 minutes from the change) and keeps running.
    expect(body.progress).toMatchObject({ total: 3, processed: 3, withoutInput: 0 });
    expect(body.result.cases).toBe(3);
    expect(body.result.flips.map((f: { caseId: string }) => f.caseId).sort()).toEqual(unansweredSev2);
    expect(body.result.flips[0]).toMatchObject({ before: { state: 'running' }, after: { state: 'breached', target: '0 minutes' } });
    expect(body.result.rows).toEqual([
      expect.objectContaining({ program: 'premier', level: 2, cases: 2 }),
      expect.objectContaining({ level: 3, cases: 1 }),
    ]);
    const cancel = await h.http().post(`/v1/policy/backtests/${started.body.id}/cancel`).set(h.as('mgr-duty'));
    expect(cancel.status).toBe(409);
    expect((await h.http().get('/v1/policy/backtests/00000000-0000-4000-8000-00000000abcd').set(h.as('mgr-duty'))).status).toBe(404);
  });
});

describe('one reading of the policy in force, in the API and in the case', () => {
  // Runs after the back-test above, which counts the Premier cases opened so far.
  test('a level judged under the version a case is pinned to: the API and the workflow agree (was: the API read the shipped constants)', async () => {
    const pinnedToV2 = await openCase();
    expect(pinnedToV2.body.policyVersion).toBe('v2');
    const effectiveAt = Date.now() + 1500;
    const published = await h
      .http()
      .post('/v1/policy/versions')
      .set(h.as(ADMIN))
      .send({
        effectiveAt: new Date(effectiveAt).toISOString(),
        note: 'Premier no longer takes Severity 4',
        patch: { programs: { premier: { targets: { '4': { kind: 'not_available' } } } } },
      });
    expect(published.status).toBe(201);
    await new Promise((r) => setTimeout(r, Math.max(0, effectiveAt - Date.now() + 50)));

    const atFour = await h.http().post('/v1/cases').set(h.as(ANNA)).send({
      supportId: '01700001',
      type: 'technical',
      severity: 4,
      product: 'backup-replication',
      version: '12.3',
      build: '12.3.1.1139',
      title: 'How do I',
      description: 'a question',
    });
    expect(atFour.status).toBe(422);
    expect(atFour.body.errors[0].field).toBe('severity');

    // The case pinned to v2 still offers Severity 4; a case pinned to v3 refuses it with the field named.
    const moved = await h
      .http()
      .post(`/v1/cases/${pinnedToV2.body.id}/severity`)
      .set(h.as('eng-emea'))
      .send({ severity: 4, reason: 'a question' });
    expect(moved.status).toBe(200);
    const pinnedToV3 = await openCase();
    expect(pinnedToV3.body.policyVersion).toBe('v3');
    const refused = await h
      .http()
      .post(`/v1/cases/${pinnedToV3.body.id}/severity`)
      .set(h.as('eng-emea'))
      .send({ severity: 4, reason: 'a question' });
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].field).toBe('severity');
  });

  test('a new case pins every setting, so a later default never reaches it', async () => {
    const opened = await openCase();
    const [row] = await h.database.db.select().from(caseInputs).where(eq(caseInputs.caseId, opened.body.id));
    const settings = (row!.input as { settings: Record<string, unknown> }).settings;
    expect(Object.keys(settings).sort()).toEqual(Object.keys(DEFAULT_SETTINGS).sort());
    expect((row!.input as { policy: { supportAccountManager?: boolean } }).policy.supportAccountManager).toBe(true);
  });

  test('the case says which actions the caller may take now, per role and state', async () => {
    const opened = await openCase();
    const asEngineer = await h.http().get(`/v1/cases/${opened.body.id}`).set(h.as('eng-emea'));
    expect(asEngineer.body.actions).toEqual(expect.arrayContaining(['engineerResponse', 'assign', 'resolve', 'changeSeverity']));
    expect(asEngineer.body.actions).not.toContain('customerReply');
    expect(asEngineer.body.actions).not.toContain('managerAck');
    const asCustomer = await h.http().get(`/v1/cases/${opened.body.id}`).set(h.as(ANNA));
    expect(asCustomer.body.actions).toEqual(expect.arrayContaining(['customerReply', 'talkToManager', 'closeCase']));
    expect(asCustomer.body.actions).not.toContain('resolve');
    expect(asCustomer.body.actions).not.toContain('confirmResolution');
  });
});
