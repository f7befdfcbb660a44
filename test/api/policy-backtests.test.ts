/**
 * Back-test requests through the API in their corners (issue 22, items 3, 5 and 6): what is refused and how,
 * closed dates in a candidate, the published schema of aroundTheClockLevels, and a cancel that keeps the
 * partial report. No worker: a started run stays at its first batch until cancelled.
 */
import { startApiHarness, type ApiHarness } from '../helpers/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(() => h?.close());

const MGR = 'mgr-duty';
const start = (body: object) => h.http().post('/v1/policy/backtests').set(h.as(MGR)).send(body);

test('an unknown published version is 422 (documented), not 400', async () => {
  const r = await start({ candidate: { version: 99 } });
  expect(r.status).toBe(422);
  expect(r.body.errors[0]).toMatchObject({ field: 'candidate.version', reason: 'no such version' });
});

test('an empty window list in a patch is named where it was sent: candidate.patch.programs...', async () => {
  const r = await start({ candidate: { patch: { programs: { basic: { coverageWindows: [] } } } } });
  expect(r.status).toBe(400);
  expect(r.body.errors[0].field).toMatch(/^candidate\.patch\.programs\.basic\.coverageWindows/);
});

test('openedFrom after openedTo is refused', async () => {
  const r = await start({
    candidate: { version: 1 },
    range: { openedFrom: '2026-12-02T00:00:00Z', openedTo: '2026-12-01T00:00:00Z' },
  });
  expect(r.status).toBe(400);
  expect(r.body.errors[0].field).toBe('range.openedTo');
});

test('aroundTheClockLevels is published as the levels it accepts (1-4), and 5 is refused', async () => {
  const doc = (await h.http().get('/openapi.json')).body;
  const program = doc.components.schemas.PolicyPatch.properties.programs.properties.production;
  const levels = JSON.stringify(program.properties?.aroundTheClockLevels ?? program);
  expect(levels).toContain('[1,2,3,4]');
  expect((await start({ candidate: { patch: { programs: { production: { aroundTheClockLevels: [1, 5] } } } } })).status).toBe(400);
});

test('a candidate adds closed dates; a cancel answered 202 leaves the run cancelled with its (partial) report', async () => {
  const started = await start({ candidate: { version: 1, closedDates: ['2026-12-24', '2026-12-31'] } });
  expect(started.status).toBe(202);
  const cancel = await h.http().post(`/v1/policy/backtests/${started.body.id}/cancel`).set(h.as(MGR));
  expect(cancel.status).toBe(202);
  expect(cancel.body.status).toBe('cancelled');
  expect(cancel.body.result).toMatchObject({ cases: 0, rows: [], moves: [] });
  const again = await h.http().post(`/v1/policy/backtests/${started.body.id}/cancel`).set(h.as(MGR));
  expect(again.status).toBe(409);
  expect((await start({ candidate: { version: 1, closedDates: ['24.12.2026'] } })).status).toBe(400);
});

test('a patch applies to the chosen base version: its changes are named against it; an unknown base is 422', async () => {
  const patch = { programs: { production: { targets: { '2': { kind: 'wall', ms: 3_600_000 } } } } };
  const started = await start({ candidate: { baseVersion: 1, patch } });
  expect(started.status).toBe(202);
  expect(started.body.baseVersion).toBe(1);
  expect(started.body.changes).toEqual([
    { path: 'programs.production.targets.2', from: { kind: 'wall', ms: 10_800_000 }, to: { kind: 'wall', ms: 3_600_000 } },
  ]);
  await h.http().post(`/v1/policy/backtests/${started.body.id}/cancel`).set(h.as(MGR));
  const unknown = await start({ candidate: { baseVersion: 99, patch } });
  expect(unknown.status).toBe(422);
  expect(unknown.body.errors[0]).toMatchObject({ field: 'candidate.baseVersion', reason: 'no such version' });
  const withoutPatch = await start({ candidate: { baseVersion: 1, version: 1 } });
  expect(withoutPatch.status).toBe(400);
  expect(withoutPatch.body.errors[0].field).toBe('candidate.baseVersion');
});

describe('policy migrations through the API', () => {
  test('administrators only; an unknown version is 422; a running preview cannot be applied; cancel keeps what it did', async () => {
    const as = (who: string) => h.http().post('/v1/policy/migrations').set(h.as(who));
    expect((await as(MGR).send({ toVersion: 1 })).status).toBe(403);
    const unknown = await as('demo-admin').send({ toVersion: 42 });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].field).toBe('toVersion');
    const bad = await as('demo-admin').send({ toVersion: 1, selection: { levels: [5] } });
    expect(bad.status).toBe(400);
    const started = await as('demo-admin').send({ toVersion: 1, selection: { programs: ['premier'], levels: [2] } });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ kind: 'preview', status: 'running', target: { version: 1, key: '2026-11-01' } });
    expect(started.headers.location).toBe(`/v1/policy/migrations/${started.body.id}`);
    const apply = await h.http().post(`/v1/policy/migrations/${started.body.id}/apply`).set(h.as('demo-admin'));
    expect(apply.status).toBe(409);
    const cases = await h.http().get(`/v1/policy/migrations/${started.body.id}/cases`).set(h.as(MGR));
    expect(cases.status).toBe(409);
    const cancel = await h.http().post(`/v1/policy/migrations/${started.body.id}/cancel`).set(h.as('demo-admin'));
    expect(cancel.status).toBe(202);
    expect(cancel.body).toMatchObject({ status: 'cancelled', result: { kind: 'migration-preview', totals: { cases: 0 } } });
    const csv = await h.http().get(`/v1/policy/migrations/${started.body.id}/cases.csv`).set(h.as(MGR));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n')[0]).toMatch(/^caseId,orgId,program,level/);
    const json = await h.http().get(`/v1/policy/migrations/${started.body.id}/cases`).set(h.as(MGR));
    expect(json.body).toEqual({ items: [], total: 0 });
  });

  test('one case through its action route: administrators only, unknown version 422', async () => {
    const r = await h.http().post('/v1/cases/00000000-0000-4000-8000-000000000999/policy-migration').set(h.as(MGR)).send({ toVersion: 1 });
    expect(r.status).toBe(403);
  });
});
