/**
 * Back-test requests through the API in their corners (issue 22, items 3, 5 and 6): what is refused and how,
 * closed dates in a candidate, the published schema of aroundTheClockLevels, and a cancel that keeps the
 * partial report. No worker: a started run stays at its first batch until cancelled.
 */
import { startApiHarness, type ApiHarness } from './harness';

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
