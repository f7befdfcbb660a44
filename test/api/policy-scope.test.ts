/**
 * Two policy rules (issue 10): a case about an experimental feature is supported with limitations (same
 * targets, no hotfix, the customer is told), and an out-of-scope request (design, training, installation or
 * upgrade walkthroughs) is referred where the policy sends it, with the policy's explanation.
 */
import { startApiHarness, type ApiHarness } from './harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ worker: true });
});
afterAll(() => h?.close());

const NANCY = 'northwind-production-nancy';
const TECHNICAL = {
  supportId: '01700002',
  type: 'technical',
  severity: 2,
  product: 'backup-replication',
  version: '12.3',
  build: '12.3.1.1139',
  title: 'Instant recovery to the cloud fails',
  description: 'The experimental cloud instant recovery stops at 40%',
};
const open = (body: object) => h.http().post('/v1/cases').set(h.as(NANCY)).send(body);
const resolve = (id: string, body: object) => h.http().post(`/v1/cases/${id}/resolution`).set(h.as('eng-americas')).send(body);
const hours = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 3_600_000;

describe('experimental features', () => {
  test('the case says so, tells the customer the limitations and keeps the program target', async () => {
    const experimental = await open({ ...TECHNICAL, experimentalFeature: true });
    expect(experimental.status).toBe(201);
    expect(experimental.body).toMatchObject({
      experimentalFeature: true,
      supportLimitations: expect.stringMatching(/no.*hotfix|never as a hotfix/i),
    });
    const ordinary = await open(TECHNICAL);
    expect(ordinary.body).toMatchObject({ experimentalFeature: false, supportLimitations: null });
    const due = (c: { openedAt: string; sla: { firstResponse: { dueAt: string } } }) => hours(c.openedAt, c.sla.firstResponse.dueAt);
    expect(due(experimental.body)).toBe(3); // Production Severity 2: 3 h, as without the flag
    expect(due(ordinary.body)).toBe(3);
    const read = await h.http().get(`/v1/cases/${experimental.body.id}`).set(h.as(NANCY));
    expect(read.body.experimentalFeature).toBe(true);
  });

  test('no hotfix, even on the latest build; a workaround or a later release is fine', async () => {
    const created = await open({ ...TECHNICAL, experimentalFeature: true });
    const hotfix = await resolve(created.body.id, { resolutionType: 'hotfix', summary: 'Patch' });
    expect(hotfix.status).toBe(409);
    expect(hotfix.body.detail).toMatch(/Experimental features .* no hotfix/);
    const later = await resolve(created.body.id, { resolutionType: 'defect_fixed_in_later_release', summary: 'Fixed in 12.4' });
    expect(later.status).toBe(200);
    // The same build without the flag may get a hotfix.
    const ordinary = await open(TECHNICAL);
    expect((await resolve(ordinary.body.id, { resolutionType: 'hotfix', summary: 'Patch' })).status).toBe(200);
  });

  test('only a technical case can be about an experimental feature', async () => {
    const res = await open({
      supportId: '01700002',
      type: 'licensing',
      severity: 3,
      title: 't',
      description: 'd',
      experimentalFeature: true,
    });
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({ field: 'experimentalFeature' });
  });
});

describe('out-of-scope requests', () => {
  test.each([
    ['product_training', 'sales_representative', /Sales Representative/],
    ['architecture_review', 'sales_representative', /Sales Representative/],
    ['upgrade_walkthrough', 'documentation', /walkthroughs of upgrades are not supported/],
  ])('%s is referred to %s with the policy explanation; no clock keeps running', async (category, referredTo, words) => {
    const created = await open({ ...TECHNICAL, severity: 4, title: 'Please help', description: `A ${category} request` });
    const res = await resolve(created.body.id, {
      resolutionType: 'out_of_scope_referral',
      outOfScope: category,
      summary: 'Not a support request',
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('resolved');
    expect(res.body.nextDueAt).toBeNull();
    expect(res.body.sla.firstResponse.state).toBe('met');
    const detail = await h.http().get(`/v1/cases/${created.body.id}`).set(h.as(NANCY));
    expect(detail.body.resolution).toEqual({
      type: 'out_of_scope_referral',
      summary: 'Not a support request',
      referral: { category, referredTo, explanation: expect.stringMatching(words) },
    });
    const resolved = detail.body.history.find((e: { type: string }) => e.type === 'resolved');
    expect(resolved.data).toMatchObject({ outOfScope: category, referredTo });
  });

  test('the category is required with a referral and refused without one', async () => {
    const created = await open(TECHNICAL);
    const missing = await resolve(created.body.id, { resolutionType: 'out_of_scope_referral', summary: 's' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0]).toMatchObject({ field: 'outOfScope', in: 'body' });
    const stray = await resolve(created.body.id, { resolutionType: 'workaround', outOfScope: 'product_training', summary: 's' });
    expect(stray.status).toBe(400);
  });
});
