/** GET /v1/policy (programs, targets, calendars in force) and GET /v1/reports/sla (achievement from sla_clocks). */
import { slaClocks } from '../../db/schema';
import { startApiHarness, type ApiHarness } from './harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ worker: true });
});
afterAll(() => h?.close());

describe('policy', () => {
  test('programs with targets, languages, follow-the-sun, and the caller organisation calendars', async () => {
    const res = await h.http().get('/v1/policy').set(h.as('sakura-basic-haruto'));
    expect(res.status).toBe(200);
    const basic = res.body.entitlements.find((e: { id: string }) => e.id === 'basic');
    expect(basic).toMatchObject({
      scheme: 'severity',
      phone: true,
      targets: { 'Severity 1': '2 business hours', 'Severity 4': '24 business hours' },
    });
    const premium = res.body.entitlements.find((e: { id: string }) => e.id === 'plan_premium');
    expect(premium).toMatchObject({ scheme: 'priority', aroundTheClock: ['P1'] });
    expect(res.body.regionLanguages.APAC).toEqual(['en', 'ja', 'zh']);
    expect(res.body.organisation).toMatchObject({
      id: 'sakura-basic',
      coverage: { zone: 'Asia/Tokyo' },
      businessCalendar: { zone: 'Asia/Tokyo' },
    });
    // Japanese public holidays are closed days (New Year's Day every year).
    const year = new Date().getUTCFullYear() + 1;
    expect(res.body.organisation.coverage.closedDates).toContain(`${year}-01-01`);
  });

  test('staff ask for any organisation; nobody else for another one', async () => {
    const staff = await h.http().get('/v1/policy?orgId=acme-premier').set(h.as('eng-apac'));
    expect(staff.body.organisation.coverage).toMatchObject({ alwaysOpen: true, zone: 'Europe/Berlin' });
    expect((await h.http().get('/v1/policy?orgId=acme-premier').set(h.as('sakura-basic-haruto'))).status).toBe(404);
    expect((await h.http().get('/v1/policy?orgId=bad id').set(h.as('eng-apac'))).status).toBe(400);
  });
});

describe('SLA report', () => {
  const at = (iso: string) => new Date(iso);
  const MIN = 60_000;

  beforeAll(async () => {
    // Fixture clocks with known response times, in a past period no live case touches.
    const rows = [10, 20, 30, 40, 50].map((minutes, i) => ({
      caseId: `fixture-met-${i}`,
      clock: 'firstResponse',
      state: minutes <= 40 ? 'met' : 'breached',
      entitlement: 'production',
      level: 2,
      startedAt: at('2025-03-10T10:00:00Z'),
      dueAt: new Date(at('2025-03-10T10:00:00Z').getTime() + 45 * MIN),
      stoppedAt: new Date(at('2025-03-10T10:00:00Z').getTime() + minutes * MIN),
      breachedAt: minutes > 45 ? new Date(at('2025-03-10T10:00:00Z').getTime() + 45 * MIN) : null,
      elapsedMs: minutes * MIN,
    }));
    rows.push({
      caseId: 'fixture-open',
      clock: 'firstResponse',
      state: 'running',
      entitlement: 'production',
      level: 2,
      startedAt: at('2025-03-11T10:00:00Z'),
      dueAt: at('2025-03-11T13:00:00Z'),
      stoppedAt: null as unknown as Date,
      breachedAt: null,
      elapsedMs: null as unknown as number,
    });
    rows.push({ ...rows[0], caseId: 'fixture-basic', entitlement: 'basic', level: 4, elapsedMs: 2 * 60 * MIN });
    rows.push({ ...rows[0], caseId: 'fixture-outside', startedAt: at('2025-05-01T00:00:00Z') });
    await h.database.db.insert(slaClocks).values(rows);
  });

  test('met, breached, open, median and p90 per program and severity', async () => {
    const res = await h.http().get('/v1/reports/sla?from=2025-03-01T00:00:00Z&to=2025-04-01T00:00:00Z').set(h.as('mgr-duty'));
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([
      expect.objectContaining({ program: 'basic', severity: 4, cases: 1, met: 1, breached: 0, medianFirstResponseMs: 120 * MIN }),
      {
        program: 'production',
        severity: 2,
        levelLabel: 'Severity 2',
        cases: 6,
        met: 4,
        breached: 1,
        open: 1,
        noTarget: 0,
        achievement: 0.8,
        medianFirstResponseMs: 30 * MIN,
        p90FirstResponseMs: 46 * MIN,
      },
    ]);
    const filtered = await h
      .http()
      .get('/v1/reports/sla?from=2025-03-01T00:00:00Z&to=2025-04-01T00:00:00Z&program=basic')
      .set(h.as('eng-emea'));
    expect(filtered.body.rows.map((r: { program: string }) => r.program)).toEqual(['basic']);
  });

  test('live cases flow into the report through the workflow', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const opened = await h
      .http()
      .post('/v1/cases')
      .set(h.as('cloudnine-vcsp-oliver'))
      .send({ supportId: '01700006', type: 'licensing', severity: 3, title: 'Report', description: 'live' });
    expect(opened.status).toBe(201);
    const responded = await h.http().post(`/v1/cases/${opened.body.id}/responses`).set(h.as('eng-emea')).send({ message: 'On it' });
    expect(responded.body.sla.firstResponse.state).toBe('met');
    const to = new Date(Date.now() + 60_000).toISOString();
    const res = await h.http().get(`/v1/reports/sla?from=${from}&to=${to}&program=vcsp_production`).set(h.as('demo-admin'));
    expect(res.body.rows).toEqual([expect.objectContaining({ program: 'vcsp_production', severity: 3, cases: 1, met: 1, breached: 0 })]);
    expect(res.body.rows[0].medianFirstResponseMs).toBeGreaterThanOrEqual(0);
  });

  test.each([
    ['', 'from'],
    ['from=2025-03-01&to=2025-04-01T00:00:00Z', 'from'],
    ['from=2025-03-01T00:00:00Z&to=2025-02-01T00:00:00Z', 'to'],
    ['from=2020-01-01T00:00:00Z&to=2025-02-01T00:00:00Z', 'to'],
    ['from=2025-03-01T00:00:00Z&to=2025-04-01T00:00:00Z&program=gold', 'program'],
  ])('?%s is a 400 naming %s', async (query, field) => {
    const res = await h.http().get(`/v1/reports/sla?${query}`).set(h.as('mgr-duty'));
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field, in: 'query' });
  });
});
