/** GET /v1/policy (programs, targets, calendars in force) and GET /v1/reports/sla (achievement from sla_clocks). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { slaClocks } from '../../db/schema';
import { startApiHarness, type ApiHarness } from '../helpers/api-harness';

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
    // Closed after 5 minutes, nobody answered: its own column, and no response time.
    rows.push({ ...rows[5], caseId: 'fixture-closed', state: 'stopped', stoppedAt: at('2025-03-11T10:05:00Z') });
    await h.database.db.insert(slaClocks).values(rows);
    // Met at Severity 2 (10 minutes), lowered to 3 afterwards: it counts under 2, where its clock stopped.
    await h.database.db
      .insert(slaClocks)
      .values({ ...rows[0], caseId: 'fixture-lowered', level: 3, stoppedLevel: 2, elapsedMs: 10 * MIN, state: 'met' });
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
        cases: 8,
        met: 5,
        breached: 1,
        open: 1,
        closedWithoutResponse: 1,
        noTarget: 0,
        achievement: 5 / 6,
        // 10, 10, 20, 30, 40, 50 minutes: p50 between 20 and 30, p90 at 0.5 between 40 and 50.
        medianFirstResponseMs: 25 * MIN,
        p90FirstResponseMs: 45 * MIN,
      },
    ]);
    const filtered = await h
      .http()
      .get('/v1/reports/sla?from=2025-03-01T00:00:00Z&to=2025-04-01T00:00:00Z&program=basic')
      .set(h.as('eng-emea'));
    expect(filtered.body.rows.map((r: { program: string }) => r.program)).toEqual(['basic']);
  });

  describe('a known set of live cases, every cell checked', () => {
    // Premier (24/7 wall clock) cases run by the real workflow. A policy version gives Severity 4 a 4-second
    // target so breaches happen while the test watches; Severities 1-3 keep 30 minutes.
    const ANNA = 'acme-premier-anna';
    const ENGINEER = 'eng-emea';
    const S4_TARGET_MS = 4000;
    let from: string;
    const ids: Record<string, string> = {};

    const open = async (name: string, body: Record<string, unknown>) => {
      const res = await h
        .http()
        .post('/v1/cases')
        .set(h.as(ANNA))
        .send({
          supportId: '01700001',
          type: 'technical',
          product: 'backup-replication',
          version: '12.3',
          build: '12.3.1.1139',
          title: `Report case ${name}`,
          description: 'report fixture',
          ...body,
        });
      expect(res.status).toBe(201);
      ids[name] = res.body.id;
      return res.body;
    };
    const act = async (principal: string, name: string, action: string, body: object) => {
      const res = await h.http().post(`/v1/cases/${ids[name]}/${action}`).set(h.as(principal)).send(body);
      expect(res.status).toBe(200);
      return res.body;
    };
    const until = async <T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> => {
      const deadline = Date.now() + ms;
      for (;;) {
        const v = await read();
        if (ok(v)) return v;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const clocksOf = (names: string[]) =>
      h.database.db
        .select()
        .from(slaClocks)
        .where(
          and(
            eq(slaClocks.clock, 'firstResponse'),
            inArray(
              slaClocks.caseId,
              names.map((n) => ids[n]!),
            ),
          ),
        );
    const report = async () => {
      const to = new Date(Date.now() + 60_000).toISOString();
      const res = await h.http().get(`/v1/reports/sla?from=${from}&to=${to}&program=premier`).set(h.as('mgr-duty'));
      expect(res.status).toBe(200);
      return res.body.rows as Record<string, unknown>[];
    };
    /** percentile_cont: linear interpolation between the closest ranks. */
    const percentile = (values: number[], p: number): number => {
      const v = [...values].sort((a, b) => a - b);
      const pos = p * (v.length - 1);
      const lo = Math.floor(pos);
      const hi = Math.ceil(pos);
      return Math.round(v[lo]! + (v[hi]! - v[lo]!) * (pos - lo));
    };
    /** What the workflow's clock measured for a case: start to response (the case resource, not the report). */
    const responseMs = async (name: string) => {
      const res = await h.http().get(`/v1/cases/${ids[name]}`).set(h.as(ENGINEER));
      const fr = res.body.sla.firstResponse as { startedAt: string; stoppedAt: string };
      expect(res.body.firstResponseAt).toBe(fr.stoppedAt);
      return Date.parse(fr.stoppedAt) - Date.parse(fr.startedAt);
    };

    beforeAll(async () => {
      from = new Date(Date.now() - 1000).toISOString();
      const effectiveAt = Date.now() + 1500;
      const published = await h
        .http()
        .post('/v1/policy/versions')
        .set(h.as('demo-admin'))
        .send({
          effectiveAt: new Date(effectiveAt).toISOString(),
          note: 'Premier Severity 4 in 4 seconds (report test)',
          patch: { programs: { premier: { targets: { '4': { kind: 'wall', ms: S4_TARGET_MS } } } } },
        });
      expect(published.status).toBe(201);
      await new Promise((r) => setTimeout(r, Math.max(0, effectiveAt - Date.now() + 50)));

      // Severity 1: three cases the customer closes before anyone answers.
      for (const name of ['s1-a', 's1-b', 's1-c']) {
        await open(name, { severity: 1 });
        await act(ANNA, name, 'close', { reason: 'solved it ourselves' });
      }
      // Severity 2: answered in time; answered in time and lowered to 3 afterwards; opened at 3, raised to 2, answered.
      await open('s2-met', { severity: 2 });
      await act(ENGINEER, 's2-met', 'responses', { message: 'Looking' });
      await open('s2-met-lowered', { severity: 2 });
      await act(ENGINEER, 's2-met-lowered', 'responses', { message: 'Looking' });
      await act(ANNA, 's2-met-lowered', 'severity', { severity: 3, reason: 'less urgent than we thought' });
      await open('s3-raised', { severity: 3 });
      await act(ANNA, 's3-raised', 'severity', { severity: 2, reason: 'more users affected' });
      await act(ENGINEER, 's3-raised', 'responses', { message: 'Looking' });
      // Severity 3: nobody has answered yet.
      await open('s3-open', { severity: 3 });
      // Severity 4 (4 s): answered late; still unanswered; closed unanswered after the due instant. And a general
      // inquiry (level 4, no target).
      await open('s4-late', { severity: 4 });
      await open('s4-unanswered', { severity: 4 });
      await open('s4-closed-late', { severity: 4 });
      await open('s4-inquiry', { type: 'general_inquiry', product: undefined, version: undefined, build: undefined });
      const late = ['s4-late', 's4-unanswered', 's4-closed-late'];
      await until(
        'the Severity 4 breaches in the read model',
        () => clocksOf(late),
        (rows) => rows.length === 3 && rows.every((r) => r.breachedAt !== null),
      );
      await act(ENGINEER, 's4-late', 'responses', { message: 'Sorry for the wait' });
      await act(ANNA, 's4-closed-late', 'close', {});
      await until(
        'the last writes',
        () => clocksOf(['s4-late', 's4-closed-late', 's3-raised', 's2-met-lowered', 's1-c']),
        (rows) => rows.length === 5 && rows.every((r) => r.stoppedAt !== null),
      );
      const lowered = await h.http().get(`/v1/cases/${ids['s2-met-lowered']}`).set(h.as(ENGINEER));
      expect(lowered.body.severity).toBe(3);
    }, 120_000);

    test('GET /v1/reports/sla: each case in exactly one column, at the level its first-response clock ended at', async () => {
      const s2 = await Promise.all(['s2-met', 's2-met-lowered', 's3-raised'].map(responseMs));
      const s4Late = await responseMs('s4-late');
      expect(s4Late).toBeGreaterThan(S4_TARGET_MS);
      const rows = await until('the report', report, (r) => r.length === 4 && r.find((x) => x.severity === 4)?.breached === 3);
      expect(rows).toEqual([
        {
          program: 'premier',
          severity: 1,
          levelLabel: 'Severity 1',
          cases: 3,
          met: 0,
          breached: 0,
          open: 0,
          closedWithoutResponse: 3,
          noTarget: 0,
          achievement: null,
          medianFirstResponseMs: null,
          p90FirstResponseMs: null,
        },
        {
          program: 'premier',
          severity: 2,
          levelLabel: 'Severity 2',
          cases: 3, // s2-met, s2-met-lowered (lowered to 3 after its answer), s3-raised (raised to 2 before it)
          met: 3,
          breached: 0,
          open: 0,
          closedWithoutResponse: 0,
          noTarget: 0,
          achievement: 1,
          medianFirstResponseMs: percentile(s2, 0.5),
          p90FirstResponseMs: percentile(s2, 0.9),
        },
        {
          program: 'premier',
          severity: 3,
          levelLabel: 'Severity 3',
          cases: 1, // s3-open only
          met: 0,
          breached: 0,
          open: 1,
          closedWithoutResponse: 0,
          noTarget: 0,
          achievement: null,
          medianFirstResponseMs: null,
          p90FirstResponseMs: null,
        },
        {
          program: 'premier',
          severity: 4,
          levelLabel: 'Severity 4',
          cases: 4,
          met: 0,
          breached: 3, // answered late, unanswered, closed unanswered after the due instant
          open: 0,
          closedWithoutResponse: 0,
          noTarget: 1, // the general inquiry
          achievement: 0,
          // Only the answered one has a response time.
          medianFirstResponseMs: s4Late,
          p90FirstResponseMs: s4Late,
        },
      ]);
    });

    test('the daily series and the drill-down use the same columns and levels', async () => {
      const to = new Date(Date.now() + 60_000).toISOString();
      const daily = await h.http().get(`/v1/reports/sla/daily?from=${from}&to=${to}&program=premier`).set(h.as('eng-emea'));
      expect(daily.status).toBe(200);
      const sum = (k: string) => (daily.body.days as Record<string, number>[]).reduce((n, d) => n + d[k]!, 0);
      expect({
        cases: sum('cases'),
        met: sum('met'),
        breached: sum('breached'),
        open: sum('open'),
        closedWithoutResponse: sum('closedWithoutResponse'),
        noTarget: sum('noTarget'),
      }).toEqual({ cases: 11, met: 3, breached: 3, open: 1, closedWithoutResponse: 3, noTarget: 1 });
      for (const d of daily.body.days as Record<string, number>[]) {
        expect(d.met! + d.breached! + d.open! + d.closedWithoutResponse! + d.noTarget!).toBe(d.cases);
      }
      const bySeverity = await h.http().get(`/v1/reports/sla/daily?from=${from}&to=${to}&program=premier&severity=1`).set(h.as('eng-emea'));
      for (const d of bySeverity.body.days) expect(d).toMatchObject({ met: 0, breached: 0, medianFirstResponseMs: null });

      const drill = async (query: string) => {
        const res = await h.http().get(`/v1/reports/sla/cases?from=${from}&to=${to}&program=premier&${query}`).set(h.as('mgr-duty'));
        expect(res.status).toBe(200);
        return res.body.items as { caseId: string; severity: number; outcome: string; elapsedMs: number | null }[];
      };
      const closedS1 = await drill('severity=1&outcome=closed_without_response');
      expect(closedS1.map((i) => i.caseId).sort()).toEqual([ids['s1-a'], ids['s1-b'], ids['s1-c']].sort());
      expect(closedS1.every((i) => i.elapsedMs === null && i.outcome === 'closed_without_response')).toBe(true);
      const metS2 = await drill('severity=2&outcome=met');
      expect(metS2.map((i) => i.caseId).sort()).toEqual([ids['s2-met'], ids['s2-met-lowered'], ids['s3-raised']].sort());
      expect((await drill('severity=3')).map((i) => [i.caseId, i.outcome])).toEqual([[ids['s3-open'], 'open']]);
      const s4 = await drill('severity=4');
      expect(Object.fromEntries(s4.map((i) => [i.caseId, i.outcome]))).toEqual({
        [ids['s4-late']!]: 'breached',
        [ids['s4-unanswered']!]: 'breached',
        [ids['s4-closed-late']!]: 'breached',
        [ids['s4-inquiry']!]: 'no_target',
      });
      expect(s4.filter((i) => i.elapsedMs !== null).map((i) => i.caseId)).toEqual([ids['s4-late']]);
    });

    test('cases recorded before the stopped level existed: the migration derives it from the audit trail', async () => {
      const before = await report();
      // Put the rows back as the old writer left them: the case's latest level, a response time for closed
      // clocks, no stopped level. Then run the migration's backfill statements on them.
      await h.database.db
        .update(slaClocks)
        .set({ stoppedLevel: null, elapsedMs: sql`extract(epoch from ${slaClocks.stoppedAt} - ${slaClocks.startedAt}) * 1000` })
        .where(and(eq(slaClocks.clock, 'firstResponse'), isNotNull(slaClocks.stoppedAt)));
      await h.database.db.execute(sql`update sla_clocks set level = c.level from cases c where c.id = sla_clocks.case_id`);
      const broken = await report();
      expect(broken.find((r) => r.severity === 2)).toMatchObject({ cases: 2 }); // the lowered case moved to 3
      const migration = readFileSync(join(__dirname, '../../db/migrations/0010_urgency_and_report_levels.sql'), 'utf8');
      for (const statement of migration.split('--> statement-breakpoint').filter((st) => /^\s*(--.*\n\s*)*UPDATE/i.test(st))) {
        await h.database.db.execute(sql.raw(statement));
      }
      expect(await report()).toEqual(before);
    });
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
